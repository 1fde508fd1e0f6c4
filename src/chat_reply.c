#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/chat_reply.h"
#include "furikaeri/command.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

static const struct {
	const char *word;	/* compared ignoring ASCII case */
	const char *command;	/* the terminal's slash command it stands for */
	const char *kind;
} chat_reply_keywords[] = {
	{ .word = "action", .command = "/action", .kind = "action" },
	{ .word = "q", .command = "/question", .kind = "question" },
	{ .word = "question", .command = "/question", .kind = "question" },
	{ .word = "decide", .command = "/decide", .kind = "decision" },
	{ .word = "decision", .command = "/decide", .kind = "decision" },
	{ .word = "link", .command = "/link", .kind = "link" },
	{ .word = "対策", .command = "/action", .kind = "action" },
	{ .word = "質問", .command = "/question", .kind = "question" },
	{ .word = "決定", .command = "/decide", .kind = "decision" },
};

void
chat_reply_clear(struct chat_reply *r)
{
	free(r->text);
	free(r->owner);
	free(r->due);
	free(r->url);
	memset(r, 0, sizeof(*r));
}

/* The length of the keyword and colon at the start of s, with the index of
 * the keyword, or 0. */
static size_t
keyword_at(const char *s, size_t *which)
{
	for (size_t i = 0; i < sizeof(chat_reply_keywords) / sizeof(chat_reply_keywords[0]); i++) {
		size_t n = strlen(chat_reply_keywords[i].word);
		char *head;
		int same;

		if (strnlen(s, n) < n)
			continue;
		head = xstrndup(s, n);
		same = text_casecmp(head, chat_reply_keywords[i].word) == 0;
		free(head);
		if (!same)
			continue;
		*which = i;
		if (s[n] == ':')
			return n + 1;
		if (strncmp(s + n, "\xef\xbc\x9a", 3) == 0)	/* U+FF1A FULLWIDTH COLON */
			return n + 3;
	}
	return 0;
}

void
chat_reply_parse(const char *text, struct chat_reply *out)
{
	char *trimmed = text_trim(text);
	size_t which = 0, n;
	struct command_result r = { 0 };
	char *line, *err = NULL;

	memset(out, 0, sizeof(*out));
	out->kind = "note";
	n = keyword_at(trimmed, &which);
	if (n == 0) {
		out->text = trimmed;
		return;
	}
	line = xasprintf("%s %s", chat_reply_keywords[which].command, trimmed + n);
	if (command_parse(line, &r, &err) == 0 && r.kind == COMMAND_RUN &&
	    (r.text != NULL || r.url != NULL)) {
		out->kind = chat_reply_keywords[which].kind;
		out->text = r.text != NULL ? r.text : xstrdup(r.url);
		r.text = NULL;
		out->owner = r.owner;
		out->due = r.due;
		out->url = r.url;
		r.owner = r.due = r.url = NULL;
		free(trimmed);
	} else {
		out->text = trimmed;
	}
	command_result_clear(&r);
	free(err);
	free(line);
}
