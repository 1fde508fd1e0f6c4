#ifndef FURIKAERI_CHAT_REPLY_H
#define FURIKAERI_CHAT_REPLY_H

/* What kind of entry a reply in an item's thread is. Slack keeps a
 * leading "/" for its own commands, so in the chat a keyword and a colon
 * pick the kind: "action:" (with @owner and due:YYYY-MM-DD as in the
 * terminal), "q:", "decide:", "link:", and Japanese "対策:" (action),
 * "質問:" (question), "決定:" (decision); the colon may be the full-width
 * "：". Anything else is a note. Pure: no I/O. */

struct chat_reply {
	const char *kind;	/* static: "note", "question", "decision", "action", "link" */
	char *text;		/* the entry's text (owned); never NULL */
	char *owner;		/* action: @owner without the "@", or NULL */
	char *due;		/* action: "YYYY-MM-DD", or NULL */
	char *url;		/* link: the URL, or NULL */
};

/* Parses a reply's plain text (already decoded, chat_text.h). A keyword
 * whose rest does not parse (link: without a URL, a bad due date, nothing
 * after the colon) leaves the reply a note holding all of it, so nothing
 * said in the channel is dropped. out is cleared first. */
void chat_reply_parse(const char *text, struct chat_reply *out);
void chat_reply_clear(struct chat_reply *r);

#endif
