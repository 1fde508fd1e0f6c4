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

/* Which markup a post is written in. */
enum chat_text_markup {
	CHAT_TEXT_SLACK,	/* mrkdwn: mentions <@U0123> */
	CHAT_TEXT_MATTERMOST,	/* Markdown: mentions @username */
};

/* Plain text in markup (chat_text_slack_escape, _mattermost_escape). */
char *chat_text_escape(enum chat_text_markup m, const char *plain);

/* A person the chat should notify. */
struct chat_text_person {
	const char *name;	/* as the roster and the minutes have it; may be NULL */
	const char *chat_id;	/* the roster's chat id (Slack U..., Mattermost id) */
	const char *handle;	/* Mattermost username (roster sync), else NULL */
};

/* A mention that notifies: Slack "<@U0123>" from the chat id, Mattermost
 * "@username" from the handle; where the roster has neither, the plain
 * name, escaped, which mentions nobody (owned; "" for no name). */
char *chat_text_mention(enum chat_text_markup m, const struct chat_text_person *p);

struct chat_wrapup_action {
	const char *title;
	struct chat_text_person owner;	/* owner.name NULL: none */
	const char *due;		/* each may be NULL */
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
	struct chat_text_person next_facilitator;	/* .name NULL: none */
	struct chat_text_person next_backup;
	const char *minutes_url;	/* a web link to the minutes, or NULL: never a
					 * local path, which means nothing in the channel */
};

/* The wrap-up post in markup (owned): decisions, agreed measures with
 * their owners mentioned and their tickets, the items not discussed
 * (carried to next week), next week's facilitator mentioned, the link to
 * the minutes. */
char *chat_text_wrapup(const struct chat_wrapup *w, enum chat_text_markup m);

struct chat_opening_item {
	const char *title;
	int minutes;		/* its budget */
	int if_time;		/* waits "if time permits" */
};

struct chat_opening {
	const char *week;
	struct chat_text_person facilitator;
	struct chat_text_person backup;	/* .name NULL: none */
	const struct chat_opening_item *items;
	size_t n_items;
	int total_minutes;
};

/* The meeting's opening post in markup (owned): the agenda with each
 * item's budget, who facilitates (mentioned), and that each item gets a
 * thread of its own as it opens. */
char *chat_text_opening(const struct chat_opening *o, enum chat_text_markup m);

/* A measure due or overdue, for its owner (furikaeri remind). */
struct chat_reminder {
	struct chat_text_person owner;
	const char *title;
	const char *due;		/* YYYY-MM-DD */
	long days_left;			/* due - today: < 0 overdue, 0 today */
	const char *ticket;		/* key, or NULL when not filed */
	const char *url;		/* or NULL */
	const char *week;		/* the meeting that agreed it, or NULL */
};

/* The reminder in markup (owned): 'Reminder: <@U0123>, "Add jitter" is
 * due in 2 days (2026-12-10). Ticket OPS-9 https://... Agreed in
 * 2026-W49.', or "is overdue by 3 days (due 2026-12-05)", the owner
 * mentioned so that the chat notifies them. */
char *chat_text_reminder(const struct chat_reminder *r, enum chat_text_markup m);

#endif
