#ifndef FURIKAERI_CHAT_TEXT_H
#define FURIKAERI_CHAT_TEXT_H

/* Text between the minutes and a chat channel, both ways. Pure: no I/O.
 * Everything returned is owned by the caller. Chat text is untrusted:
 * what comes in is sanitised (terminal controls neutralised, invalid UTF-8
 * repaired) after it is decoded. */

/* Slack mrkdwn: &, < and > as &amp;, &lt; and &gt;, so that a title such
 * as "a < b & <@U1>" is shown as typed and mentions nobody. */
char *chat_text_slack_escape(const char *s);
/* Mattermost Markdown: a backslash before each character Markdown would
 * read as formatting (\ ` * _ { } [ ] < > ( ) # + - . ! | ~), and @ (a
 * mention) too, so the text is shown as typed. */
char *chat_text_mattermost_escape(const char *s);

/* Looks up a Slack user's display name for "<@U123>": owned, or NULL when
 * unknown (the id is shown then). */
typedef char *(*chat_text_name_fn)(void *ctx, const char *user_id);

/* A Slack message's text as plain text for the minutes: "<@U123>" becomes
 * "@Name" (names from fn, which may be NULL), "<@U123|aoi>" "@aoi",
 * "<#C123|general>" "#general", "<!here>" "@here", "<!subteam^S1|@sre>"
 * "@sre", "<https://x|text>" "text (https://x)", "<https://x>" the URL,
 * "<mailto:a@b|a@b>" "a@b"; then &lt; &gt; &amp; are decoded. */
char *chat_text_from_slack(const char *s, chat_text_name_fn fn, void *ctx);
/* A Mattermost post's Markdown as plain text: "[text](url)" becomes
 * "text (url)" (or the URL alone when text is the URL), backslash escapes
 * are dropped; the rest is kept as typed. */
char *chat_text_from_mattermost(const char *s);

#endif
