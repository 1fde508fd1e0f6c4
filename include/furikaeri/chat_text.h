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

/* The plain text of an item's thread root (escaped when queued). */
struct chat_root_measure {
	const char *title;
	const char *ticket;	/* key, or NULL */
	const char *state;	/* "open", "done", ... or NULL */
};

struct chat_root {
	const char *pm_id;	/* each may be NULL */
	const char *title;
	const char *severity;
	const char *date;
	const char *summary;	/* a paragraph */
	const char *impact;
	const char *link;	/* the postmortem's URL */
	const char *question;	/* the facilitator prompt */
	const struct chat_root_measure *measures;
	size_t n_measures;
};

/* "PM-031 Payment API timeouts · SEV2 · 2026-11-27", the summary, the
 * impact, the link, the measures with their tickets, the question, and
 * how to reply with a kind (owned). */
char *chat_text_root(const struct chat_root *r);

struct chat_wrapup_action {
	const char *title;
	const char *owner;	/* each may be NULL */
	const char *due;
	const char *ticket;
	const char *url;
};

struct chat_wrapup {
	const char *week;		/* "2026-W49" */
	const char *const *decisions;
	size_t n_decisions;
	const struct chat_wrapup_action *actions;	/* agreed measures */
	size_t n_actions;
	const char *const *carried;	/* titles of items carried over */
	size_t n_carried;
	const char *next_facilitator;	/* may be NULL */
	const char *next_backup;
	const char *minutes;		/* where the minutes are, may be NULL */
};

/* The wrap-up post's plain text (owned). */
char *chat_text_wrapup(const struct chat_wrapup *w);

#endif
