#ifndef FURIKAERI_COMMAND_H
#define FURIKAERI_COMMAND_H

#include <stdbool.h>
#include <stddef.h>

/* The meeting's actions and the input line's slash commands. Every action
 * is defined once, in one table: its slash command and aliases, its default
 * key, its argument and its help. The help screen, completion, key binding
 * and the man page's key list are all produced from that table. Pure: no
 * I/O, no curses (keys are symbolic names such as "C-n", "F1", "PPage"). */

enum command_id {
	COMMAND_QUESTION,
	COMMAND_DECIDE,
	COMMAND_ACTION,
	COMMAND_LINK,
	COMMAND_AGREE,
	COMMAND_TICKET,
	COMMAND_EDIT,
	COMMAND_DELETE,
	COMMAND_NEXT,
	COMMAND_PREV,
	COMMAND_SKIP,
	COMMAND_UNSKIP,
	COMMAND_CARRY,
	COMMAND_DROP,
	COMMAND_TOPIC,
	COMMAND_MOVE,
	COMMAND_UP,
	COMMAND_DOWN,
	COMMAND_ATTEND,
	COMMAND_FACILITATOR,
	COMMAND_BACKUP,
	COMMAND_EXPORT,
	COMMAND_GO,
	COMMAND_UNDELETE,
	COMMAND_FIND,
	COMMAND_MESSAGES,
	COMMAND_OVERVIEW,
	COMMAND_REOPEN,
	COMMAND_TAKEOVER,
	COMMAND_CHAT,
	COMMAND_AS,
	COMMAND_HELP,
	COMMAND_QUIT,
	/* key-only actions (no slash command) */
	COMMAND_SCROLL_UP,
	COMMAND_SCROLL_DOWN,
	COMMAND_MINUTES_UP,
	COMMAND_MINUTES_DOWN,
	COMMAND_FIND_NEXT,
	COMMAND_FIND_PREV,
	COMMAND_REDRAW,
	COMMAND_SHOW_MESSAGE,
	COMMAND_EDITOR,
	COMMAND_COMPLETE,
	COMMAND_HISTORY_PREV,
	COMMAND_HISTORY_NEXT,
	COMMAND_SUBMIT,
	COMMAND_INTERRUPT,
	/* the input line's editing keys */
	COMMAND_CHAR_LEFT,
	COMMAND_CHAR_RIGHT,
	COMMAND_WORD_LEFT,
	COMMAND_WORD_RIGHT,
	COMMAND_LINE_START,
	COMMAND_LINE_END,
	COMMAND_DELETE_BACK,
	COMMAND_DELETE_CHAR,
	COMMAND_KILL_END,
	COMMAND_KILL_START,
	COMMAND_KILL_WORD,
	COMMAND_KILL_WORD_FORWARD,
	COMMAND_KILL_LINE,
	COMMAND_YANK,
	COMMAND_UNDO,
	COMMAND_ID_COUNT,
};

enum command_arg {
	COMMAND_ARG_NONE,
	COMMAND_ARG_TEXT,	/* free text */
	COMMAND_ARG_ACTION,	/* text with @owner and due:YYYY-MM-DD taken out */
	COMMAND_ARG_URL,	/* http(s) URL, then optional text */
	COMMAND_ARG_NUMBER,	/* positive integer */
	COMMAND_ARG_NUMBER_TEXT,	/* positive integer, then optional text */
	COMMAND_ARG_NAME,	/* a person's name; may hold spaces */
	COMMAND_ARG_COMMAND,	/* a command name (for /help) */
};

#define COMMAND_SLASH 0x1	/* can be typed as /name */
#define COMMAND_OPTIONAL 0x2	/* the argument may be left out */

#define COMMAND_MAX_ALIASES 2

/* One action. All strings are static. */
struct command_def {
	enum command_id id;
	const char *name;	/* "action"; also the key-binding name in the config */
	const char *aliases[COMMAND_MAX_ALIASES];	/* NULL-padded: "q" for "question" */
	/* default keys, separated by spaces ("C-n", "Left C-b", "F1", "PPage",
	 * "M-b", "Esc") or NULL */
	const char *key;
	enum command_arg arg;
	const char *arg_hint;	/* "N", "NAME", "TEXT [@owner] [due:YYYY-MM-DD]" */
	const char *arg_what;	/* for errors: "the number of an action" */
	const char *example;	/* "/agree 2" */
	unsigned flags;		/* COMMAND_SLASH, COMMAND_OPTIONAL */
	const char *help;	/* one line, for the help screen's list */
	const char *long_help;	/* a sentence or two, for /help NAME and the man page */
};

size_t command_count(void);
/* The i-th action in table order (help-screen order); NULL past the end. */
const struct command_def *command_at(size_t i);
const struct command_def *command_by_id(enum command_id id);
/* Finds an action by name or alias, with or without the leading "/",
 * ignoring ASCII case. NULL when unknown. */
const struct command_def *command_find(const char *name);
/* The action bound to a key by default, or NULL. */
const struct command_def *command_for_key(const char *key);
/* Whether name is a key the meeting screen knows: C-a..C-z, C-_, M-x (Alt
 * and a printable ASCII character), M-Backspace, F1..F12, PPage, NPage,
 * S-PPage, S-NPage, Up, Down, Left, Right, Home, End, Tab, BTab, Esc,
 * Enter, Backspace, Delete. */
bool command_key_valid(const char *name);
/* Checks one [keys] rebinding, action = key, given the rebindings read
 * before it (pairs: action, key, ...): the key must be valid and must not
 * be a key of another action (its default keys unless it was rebound
 * above, else its rebinding). A rebinding replaces all of an action's
 * default keys. Returns 0, or -1 with *err saying which action holds the
 * key and what to do. */
int command_key_check(const char *action, const char *key, char *const *pairs, size_t n_pairs,
		      char **err);
/* Whether the space-separated key list keys holds key. */
bool command_keys_have(const char *keys, const char *key);
/* "/action TEXT [@owner] [due:YYYY-MM-DD]" or, for a key-only action, its
 * name. Written into buf (always NUL-terminated); returns buf. */
char *command_usage(const struct command_def *def, char *buf, size_t size);

enum command_kind {
	COMMAND_EMPTY,	/* nothing but whitespace */
	COMMAND_NOTE,	/* plain text */
	COMMAND_RUN,	/* a slash command */
};

/* A parsed input line. Strings are owned by the struct; free them with
 * command_result_clear. */
struct command_result {
	enum command_kind kind;
	const struct command_def *def;	/* COMMAND_RUN only */
	char *text;	/* note text, question, decision, action title, topic,
			 * link text, edit text, name, or help topic; NULL when
			 * not given */
	char *owner;	/* /action: @owner without the "@", or NULL */
	char *due;	/* /action: "YYYY-MM-DD", or NULL */
	char *url;	/* /link */
	long number;	/* /agree, /ticket, /edit, /delete, /move; else 0 */
};

/* Parses one input line. Plain text is a note (trimmed); a line starting
 * with "/" (or the full-width "／" of Japanese input) is a command, and "//"
 * escapes a literal slash at the start of a note. Command names ignore
 * ASCII case. Whitespace includes the ideographic space U+3000, and numbers
 * may be typed with full-width digits. Returns 0, or -1 with *err set to a
 * message for the facilitator (an unknown command suggests the closest
 * one); out is cleared first and left empty on failure. */
int command_parse(const char *line, struct command_result *out, char **err);
void command_result_clear(struct command_result *r);

/* Completions for the end of a partially typed line. */
struct command_completions {
	char **items;	/* owned; each replaces line[start..] */
	size_t n;
	size_t start;	/* byte offset of the word being completed */
	char *common;	/* owned: the longest common prefix of items, cut at a
			 * character boundary ("" when none) */
};

/* Completes: a command name right after "/" ("/ac" -> "/action"); a name
 * after a command that takes a person ("/attend ", "/facilitator ",
 * "/backup "), where the whole rest of the line is the word; a command
 * name after "/help "; and a name after "@" at the start of the last word
 * ("@pay" -> "@payments"; names with spaces are not offered there). Names
 * match by prefix, ignoring ASCII case, in the order given. Returns the
 * number of completions (0 when nothing fits). */
size_t command_complete(const char *line, const char *const *names, size_t n_names,
			struct command_completions *out);
void command_completions_clear(struct command_completions *c);

#endif
