#include "config.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/command.h"
#include "furikaeri/err.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

#define SLASH_FLAGS COMMAND_SLASH

static const struct command_def table[COMMAND_ID_COUNT] = {
	[COMMAND_QUESTION] = {
		.id = COMMAND_QUESTION, .name = "question", .aliases = { "q" },
		.arg = COMMAND_ARG_TEXT, .arg_hint = "TEXT", .arg_what = "the question",
		.example = "/q Why did the canary pass?", .flags = SLASH_FLAGS,
		.help = "record a question",
		.long_help = "Records an open question in the minutes, so that it can be answered later.",
	},
	[COMMAND_DECIDE] = {
		.id = COMMAND_DECIDE, .name = "decide",
		.arg = COMMAND_ARG_TEXT, .arg_hint = "TEXT", .arg_what = "what was decided",
		.example = "/decide Roll back before debugging", .flags = SLASH_FLAGS,
		.help = "record a decision",
		.long_help = "Records a decision; decisions are listed again at wrap-up.",
	},
	[COMMAND_ACTION] = {
		.id = COMMAND_ACTION, .name = "action",
		.arg = COMMAND_ARG_ACTION, .arg_hint = "TEXT [@owner] [due:YYYY-MM-DD]",
		.arg_what = "the prevention measure",
		.example = "/action Add jitter to retries @payments due:2026-12-15",
		.flags = SLASH_FLAGS,
		.help = "propose a prevention measure",
		.long_help = "Proposes a prevention measure: a test, automation, detection or automatic "
			     "recovery. @owner and due:YYYY-MM-DD may appear anywhere in the text. "
			     "Actions are numbered; /agree N agrees one.",
	},
	[COMMAND_LINK] = {
		.id = COMMAND_LINK, .name = "link",
		.arg = COMMAND_ARG_URL, .arg_hint = "URL [TEXT]", .arg_what = "an http or https URL",
		.example = "/link https://github.com/acme/pay/pull/812 the fix", .flags = SLASH_FLAGS,
		.help = "record a link (commit, PR, dashboard)",
		.long_help = "Records a link, such as the cause commit, the fixing pull request or a "
			     "dashboard, with an optional description.",
	},
	[COMMAND_AGREE] = {
		.id = COMMAND_AGREE, .name = "agree",
		.arg = COMMAND_ARG_NUMBER, .arg_hint = "N", .arg_what = "the number of an action",
		.example = "/agree 2", .flags = SLASH_FLAGS,
		.help = "agree action N",
		.long_help = "Marks action N as agreed by the room; agreed actions can be filed as tickets. "
			     "An action already agreed is refused aloud, naming its item when it is "
			     "another item's.",
	},
	[COMMAND_TICKET] = {
		.id = COMMAND_TICKET, .name = "ticket",
		.arg = COMMAND_ARG_NUMBER, .arg_hint = "N", .arg_what = "the number of an action",
		.example = "/ticket 2", .flags = SLASH_FLAGS,
		.help = "queue action N for filing as a ticket",
		.long_help = "Queues action N to be filed in the tracker; the ticket's key comes back "
			     "into the minutes when it is filed. Until then the action shows filing, "
			     "or \"queued: no tracker\" when no tracker (or no token) is set up "
			     "here: it then waits for furikaeri tickets push.",
	},
	[COMMAND_EDIT] = {
		.id = COMMAND_EDIT, .name = "edit",
		.arg = COMMAND_ARG_NUMBER_TEXT, .arg_hint = "N [TEXT]", .arg_what = "the number of an entry",
		.example = "/edit 3", .flags = SLASH_FLAGS,
		.help = "edit entry N",
		.long_help = "Edits entry N of the minutes: with TEXT, replaces its text; without, puts "
			     "it on the input line. The old text stays in the history.",
	},
	[COMMAND_DELETE] = {
		.id = COMMAND_DELETE, .name = "delete",
		.arg = COMMAND_ARG_NUMBER, .arg_hint = "N", .arg_what = "the number of an entry",
		.example = "/delete 3", .flags = SLASH_FLAGS,
		.help = "delete entry N (shown struck out)",
		.long_help = "Deletes entry N; it is kept in the history and shown struck out.",
	},
	[COMMAND_NEXT] = {
		.id = COMMAND_NEXT, .name = "next", .key = "C-n", .flags = SLASH_FLAGS,
		.help = "go to the next agenda item",
		.long_help = "Closes the current item and moves to the next one.",
	},
	[COMMAND_PREV] = {
		.id = COMMAND_PREV, .name = "prev", .key = "C-p", .flags = SLASH_FLAGS,
		.help = "go back to the previous agenda item",
		.long_help = "Goes back to the previous item that was not skipped or carried.",
	},
	[COMMAND_SKIP] = {
		.id = COMMAND_SKIP, .name = "skip", .flags = SLASH_FLAGS,
		.help = "skip the current item",
		.long_help = "Skips the current item; its time goes to the items still to come.",
	},
	[COMMAND_UNSKIP] = {
		.id = COMMAND_UNSKIP, .name = "unskip",
		.arg = COMMAND_ARG_NUMBER, .arg_hint = "N", .arg_what = "the agenda position of the item",
		.example = "/unskip 3", .flags = SLASH_FLAGS,
		.help = "put skipped or carried item N back on the agenda",
		.long_help = "Puts a skipped or carried item back on the agenda as pending.",
	},
	[COMMAND_CARRY] = {
		.id = COMMAND_CARRY, .name = "carry", .flags = SLASH_FLAGS,
		.help = "carry the current item over to next week",
		.long_help = "Carries the current item over to next week's meeting now. When the "
			     "meeting ends, every postmortem or topic not discussed (never opened, or "
			     "opened with no entries) is carried over the same way, and the wrap-up "
			     "lists it; a skipped or dropped item is not.",
	},
	[COMMAND_DROP] = {
		.id = COMMAND_DROP, .name = "drop",
		.arg = COMMAND_ARG_NUMBER, .arg_hint = "N", .arg_what = "the agenda position of the item",
		.example = "/drop 3", .flags = SLASH_FLAGS,
		.help = "leave item N out of next week's agenda",
		.long_help = "An item not discussed (never opened, or opened with no entries) is "
			     "carried over to next week when the meeting ends, and the wrap-up says "
			     "so; /drop N leaves item N out on purpose (it shows as skipped). "
			     "/unskip N puts it back.",
	},
	[COMMAND_TOPIC] = {
		.id = COMMAND_TOPIC, .name = "topic",
		.arg = COMMAND_ARG_TEXT, .arg_hint = "TITLE", .arg_what = "the topic's title",
		.example = "/topic Alert fatigue in on-call", .flags = SLASH_FLAGS,
		.help = "add a topic to the agenda",
		.long_help = "Adds a topic to the agenda, before wrap-up.",
	},
	[COMMAND_MOVE] = {
		.id = COMMAND_MOVE, .name = "move",
		.arg = COMMAND_ARG_NUMBER, .arg_hint = "N", .arg_what = "a position in the agenda",
		.example = "/move 2", .flags = SLASH_FLAGS,
		.help = "move the current item to position N",
		.long_help = "Moves the current item to position N of the agenda; follow-ups stay first "
			     "and wrap-up last.",
	},
	[COMMAND_UP] = {
		.id = COMMAND_UP, .name = "up", .flags = SLASH_FLAGS,
		.help = "move the current item up",
		.long_help = "Moves the current item one place earlier in the agenda.",
	},
	[COMMAND_DOWN] = {
		.id = COMMAND_DOWN, .name = "down", .flags = SLASH_FLAGS,
		.help = "move the current item down",
		.long_help = "Moves the current item one place later in the agenda.",
	},
	[COMMAND_ATTEND] = {
		.id = COMMAND_ATTEND, .name = "attend",
		.arg = COMMAND_ARG_NAME, .arg_hint = "NAME", .arg_what = "a name",
		.example = "/attend Mei", .flags = SLASH_FLAGS,
		.help = "add an attendee",
		.long_help = "Adds a person to today's attendees; attending is optional. "
			     "Whoever replies in the meeting's chat thread attends too.",
	},
	[COMMAND_FACILITATOR] = {
		.id = COMMAND_FACILITATOR, .name = "facilitator",
		.arg = COMMAND_ARG_NAME, .arg_hint = "NAME", .arg_what = "a name",
		.example = "/facilitator Aoi", .flags = SLASH_FLAGS,
		.help = "set this week's facilitator",
		.long_help = "Confirms or replaces this week's facilitator; the choice drives the next "
			     "proposal of the rotation.",
	},
	[COMMAND_BACKUP] = {
		.id = COMMAND_BACKUP, .name = "backup",
		.arg = COMMAND_ARG_NAME, .arg_hint = "NAME", .arg_what = "a name",
		.example = "/backup Ken", .flags = SLASH_FLAGS,
		.help = "set this week's backup facilitator",
		.long_help = "Confirms or replaces this week's backup facilitator.",
	},
	[COMMAND_EXPORT] = {
		.id = COMMAND_EXPORT, .name = "export", .flags = SLASH_FLAGS,
		.help = "export the minutes",
		.long_help = "Writes the minutes as Markdown and JSON into the minutes folder.",
	},
	[COMMAND_GO] = {
		.id = COMMAND_GO, .name = "go",
		.arg = COMMAND_ARG_NUMBER, .arg_hint = "N", .arg_what = "a position in the agenda",
		.example = "/go 3", .flags = SLASH_FLAGS,
		.help = "go to agenda item N",
		.long_help = "Opens item N of the agenda. Going forward closes the current item as done; "
			     "going back leaves it as it was.",
	},
	[COMMAND_UNDELETE] = {
		.id = COMMAND_UNDELETE, .name = "undelete",
		.arg = COMMAND_ARG_NUMBER, .arg_hint = "N", .arg_what = "the number of an entry",
		.example = "/undelete 3", .flags = SLASH_FLAGS,
		.help = "bring deleted entry N back",
		.long_help = "Brings back entry N after /delete, with its text as it was.",
	},
	[COMMAND_FIND] = {
		.id = COMMAND_FIND, .name = "find",
		.arg = COMMAND_ARG_TEXT, .arg_hint = "TEXT", .arg_what = "the text to find",
		.example = "/find timeout", .flags = SLASH_FLAGS,
		.help = "find text in the postmortem and the minutes",
		.long_help = "Finds TEXT (ignoring ASCII case) in every item's postmortem and minutes "
			     "and opens the first match; n and N (on an empty line) or F3 and F4 go "
			     "to the next and previous match.",
	},
	[COMMAND_MESSAGES] = {
		.id = COMMAND_MESSAGES, .name = "messages", .flags = SLASH_FLAGS,
		.help = "show the recent messages in full",
		.long_help = "Shows the recent messages of the status line, each in full.",
	},
	[COMMAND_OVERVIEW] = {
		.id = COMMAND_OVERVIEW, .name = "overview", .aliases = { "all" }, .key = "F5",
		.flags = SLASH_FLAGS,
		.help = "the whole meeting: every item's minutes",
		.long_help = "Shows the whole meeting on one page: every agenda item with its state "
			     "and its minutes, in order.",
	},
	[COMMAND_REOPEN] = {
		.id = COMMAND_REOPEN, .name = "reopen", .flags = SLASH_FLAGS,
		.help = "reopen an ended meeting",
		.long_help = "Reopens a meeting that was ended, so that entries can be added; ending it "
			     "again writes the minutes again.",
	},
	[COMMAND_CHAT] = {
		.id = COMMAND_CHAT, .name = "chat",
		.arg = COMMAND_ARG_TEXT, .arg_hint = "retry", .arg_what = "retry",
		.example = "/chat retry", .flags = SLASH_FLAGS,
		.help = "try the chat's token again after it was refused",
		.long_help = "After the chat refused the token, furikaeri sends and reads nothing "
			     "more with it; once the token is fixed, /chat retry asks the chat again. "
			     "A new token in [chat] token_file is tried by itself.",
	},
	[COMMAND_AS] = {
		.id = COMMAND_AS, .name = "as",
		.arg = COMMAND_ARG_TEXT, .arg_hint = "NAME TEXT",
		.arg_what = "a name and what they said",
		.example = "/as Mei the canary only checks the status page", .flags = SLASH_FLAGS,
		.help = "record an entry for someone",
		.long_help = "Records an entry with NAME as its author instead of the facilitator. "
			     "NAME is an attendee's or the roster's name (it may hold spaces), else one "
			     "word; TEXT is a note, or /q, /decide, /action or /link as typed alone.",
	},
	[COMMAND_TAKEOVER] = {
		.id = COMMAND_TAKEOVER, .name = "takeover", .flags = SLASH_FLAGS,
		.help = "take over a meeting its holder has left",
		.long_help = "In a read-only view, takes over the meeting once the furikaeri that held "
			     "it has left.",
	},
	[COMMAND_HELP] = {
		.id = COMMAND_HELP, .name = "help", .key = "F1",
		.arg = COMMAND_ARG_COMMAND, .arg_hint = "[COMMAND]", .arg_what = "a command name",
		.example = "/help action", .flags = SLASH_FLAGS | COMMAND_OPTIONAL,
		.help = "show the commands and keys",
		.long_help = "Shows every command and key, or the details of one command.",
	},
	[COMMAND_QUIT] = {
		.id = COMMAND_QUIT, .name = "quit", .flags = SLASH_FLAGS,
		.help = "leave the meeting (everything is already saved)",
		.long_help = "Leaves the meeting. Everything is saved as it is typed, so the meeting "
			     "can be reopened and resumes where it was.",
	},
	[COMMAND_SCROLL_UP] = {
		.id = COMMAND_SCROLL_UP, .name = "scroll-up", .key = "PPage",
		.help = "scroll the item up",
		.long_help = "Scrolls the current item's text up by a page.",
	},
	[COMMAND_SCROLL_DOWN] = {
		.id = COMMAND_SCROLL_DOWN, .name = "scroll-down", .key = "NPage",
		.help = "scroll the item down",
		.long_help = "Scrolls the current item's text down by a page.",
	},
	[COMMAND_MINUTES_UP] = {
		.id = COMMAND_MINUTES_UP, .name = "minutes-up", .key = "S-PPage",
		.help = "scroll the minutes up",
		.long_help = "Scrolls the minutes of the item back by a page (the mouse wheel too).",
	},
	[COMMAND_MINUTES_DOWN] = {
		.id = COMMAND_MINUTES_DOWN, .name = "minutes-down", .key = "S-NPage",
		.help = "scroll the minutes down",
		.long_help = "Scrolls the minutes of the item on by a page, back to the newest entries.",
	},
	[COMMAND_FIND_NEXT] = {
		.id = COMMAND_FIND_NEXT, .name = "find-next", .key = "F3",
		.help = "go to the next match of /find",
		.long_help = "Goes to the next match of the last /find.",
	},
	[COMMAND_FIND_PREV] = {
		.id = COMMAND_FIND_PREV, .name = "find-prev", .key = "F4",
		.help = "go to the previous match of /find",
		.long_help = "Goes to the previous match of the last /find.",
	},
	[COMMAND_REDRAW] = {
		.id = COMMAND_REDRAW, .name = "redraw", .key = "C-l",
		.help = "redraw the screen",
		.long_help = "Redraws the whole screen.",
	},
	[COMMAND_SHOW_MESSAGE] = {
		.id = COMMAND_SHOW_MESSAGE, .name = "show-message", .key = "F2",
		.help = "show the recent messages in full",
		.long_help = "Shows the recent messages in full, as /messages does.",
	},
	[COMMAND_EDITOR] = {
		.id = COMMAND_EDITOR, .name = "editor", .key = "C-e",
		.help = "edit the input in $EDITOR",
		.long_help = "Opens the entry being typed in $EDITOR, for long notes. On an empty "
			     "line it opens the newest entry of the current item and says which; "
			     "Enter then saves the edited text over that entry.",
	},
	[COMMAND_COMPLETE] = {
		.id = COMMAND_COMPLETE, .name = "complete", .key = "Tab",
		.help = "complete a command or name",
		.long_help = "Completes the command or the name being typed.",
	},
	[COMMAND_HISTORY_PREV] = {
		.id = COMMAND_HISTORY_PREV, .name = "history-prev", .key = "Up",
		.help = "recall earlier input",
		.long_help = "Recalls the previous line typed.",
	},
	[COMMAND_HISTORY_NEXT] = {
		.id = COMMAND_HISTORY_NEXT, .name = "history-next", .key = "Down",
		.help = "recall later input",
		.long_help = "Recalls the next line typed.",
	},
	[COMMAND_SUBMIT] = {
		.id = COMMAND_SUBMIT, .name = "submit", .key = "Enter",
		.help = "record the line",
		.long_help = "Records the input line: a note, or runs the command it holds.",
	},
	[COMMAND_INTERRUPT] = {
		.id = COMMAND_INTERRUPT, .name = "interrupt", .key = "C-c",
		.help = "clear the line, or ask to leave",
		.long_help = "Clears the input line (Ctrl-_ or Ctrl-Y brings it back); on an empty "
			     "line, asks whether to leave the meeting.",
	},
	[COMMAND_CHAR_LEFT] = {
		.id = COMMAND_CHAR_LEFT, .name = "char-left", .key = "Left C-b",
		.help = "cursor one character left", .long_help = "Moves the cursor one character left.",
	},
	[COMMAND_CHAR_RIGHT] = {
		.id = COMMAND_CHAR_RIGHT, .name = "char-right", .key = "Right C-f",
		.help = "cursor one character right",
		.long_help = "Moves the cursor one character right.",
	},
	[COMMAND_WORD_LEFT] = {
		.id = COMMAND_WORD_LEFT, .name = "word-left", .key = "M-b",
		.help = "cursor one word left", .long_help = "Moves the cursor to the start of the word.",
	},
	[COMMAND_WORD_RIGHT] = {
		.id = COMMAND_WORD_RIGHT, .name = "word-right", .key = "M-f",
		.help = "cursor one word right", .long_help = "Moves the cursor past the next word.",
	},
	[COMMAND_LINE_START] = {
		.id = COMMAND_LINE_START, .name = "line-start", .key = "Home C-a",
		.help = "cursor to the start", .long_help = "Moves the cursor to the start of the line.",
	},
	[COMMAND_LINE_END] = {
		.id = COMMAND_LINE_END, .name = "line-end", .key = "End",
		.help = "cursor to the end", .long_help = "Moves the cursor to the end of the line.",
	},
	[COMMAND_DELETE_BACK] = {
		.id = COMMAND_DELETE_BACK, .name = "delete-back", .key = "Backspace C-h",
		.help = "delete the character before the cursor",
		.long_help = "Deletes the character before the cursor.",
	},
	[COMMAND_DELETE_CHAR] = {
		.id = COMMAND_DELETE_CHAR, .name = "delete-char", .key = "Delete C-d",
		.help = "delete the character under the cursor",
		.long_help = "Deletes the character under the cursor.",
	},
	[COMMAND_KILL_END] = {
		.id = COMMAND_KILL_END, .name = "kill-end", .key = "C-k",
		.help = "cut to the end of the line",
		.long_help = "Cuts from the cursor to the end of the line into the kill ring.",
	},
	[COMMAND_KILL_START] = {
		.id = COMMAND_KILL_START, .name = "kill-start", .key = "C-u",
		.help = "cut to the start of the line",
		.long_help = "Cuts from the start of the line to the cursor into the kill ring.",
	},
	[COMMAND_KILL_WORD] = {
		.id = COMMAND_KILL_WORD, .name = "kill-word", .key = "C-w M-Backspace",
		.help = "cut the word before the cursor",
		.long_help = "Cuts the word before the cursor into the kill ring.",
	},
	[COMMAND_KILL_WORD_FORWARD] = {
		.id = COMMAND_KILL_WORD_FORWARD, .name = "kill-word-forward", .key = "M-d",
		.help = "cut the word after the cursor",
		.long_help = "Cuts the word after the cursor into the kill ring.",
	},
	[COMMAND_KILL_LINE] = {
		.id = COMMAND_KILL_LINE, .name = "kill-line", .key = "Esc",
		.help = "cut the whole line; ends an edit",
		.long_help = "Cuts the whole line into the kill ring and ends an edit, leaving the "
			     "entry as it was; Ctrl-Y or Ctrl-_ brings the text back.",
	},
	[COMMAND_YANK] = {
		.id = COMMAND_YANK, .name = "yank", .key = "C-y",
		.help = "paste the last cut text",
		.long_help = "Inserts the text cut last; repeated, it inserts the text cut before.",
	},
	[COMMAND_UNDO] = {
		.id = COMMAND_UNDO, .name = "undo", .key = "C-_",
		.help = "undo the last change to the line",
		.long_help = "Undoes the last change to the input line, one step at a time.",
	},
};

size_t
command_count(void)
{
	return COMMAND_ID_COUNT;
}

const struct command_def *
command_at(size_t i)
{
	return i < COMMAND_ID_COUNT ? &table[i] : NULL;
}

const struct command_def *
command_by_id(enum command_id id)
{
	return (size_t)id < COMMAND_ID_COUNT ? &table[id] : NULL;
}

/* Compares n bytes ignoring ASCII case. */
static bool
prefix_equal(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

static bool
name_equal(const char *name, const char *s, size_t len)
{
	return strlen(name) == len && prefix_equal(name, s, len);
}

static const struct command_def *
find_n(const char *s, size_t len)
{
	for (size_t i = 0; i < COMMAND_ID_COUNT; i++) {
		if (name_equal(table[i].name, s, len))
			return &table[i];
		for (size_t k = 0; k < COMMAND_MAX_ALIASES && table[i].aliases[k] != NULL; k++)
			if (name_equal(table[i].aliases[k], s, len))
				return &table[i];
	}
	return NULL;
}

/* Bytes of the slash at s: "/" or the full-width "／"; 0 when none. */
static size_t
slash_length(const char *s)
{
	if (s[0] == '/')
		return 1;
	if (strncmp(s, "\xEF\xBC\x8F", 3) == 0)
		return 3;
	return 0;
}

/* Bytes of the whitespace character at s (space, tab, U+3000), or 0. */
static size_t
ws_length(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		return 1;
	if (strncmp(s, "\xE3\x80\x80", 3) == 0)
		return 3;
	return 0;
}

static const char *
skip_ws(const char *s)
{
	size_t n;

	while ((n = ws_length(s)) > 0)
		s += n;
	return s;
}

static const char *
word_end(const char *s)
{
	while (*s != '\0' && ws_length(s) == 0)
		s++;
	return s;
}

const struct command_def *
command_find(const char *name)
{
	name += slash_length(name);
	return find_n(name, strlen(name));
}

const struct command_def *
command_for_key(const char *key)
{
	for (size_t i = 0; i < COMMAND_ID_COUNT; i++)
		if (command_keys_have(table[i].key, key))
			return &table[i];
	return NULL;
}

bool
command_keys_have(const char *keys, const char *key)
{
	size_t n = strlen(key);

	for (const char *p = keys; p != NULL && *p != '\0';) {
		const char *end = strchr(p, ' ');
		size_t len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == n && strncmp(p, key, n) == 0)
			return true;
		p = end != NULL ? end + 1 : NULL;
	}
	return false;
}

bool
command_key_valid(const char *k)
{
	static const char *const named[] = {
		"PPage", "NPage", "S-PPage", "S-NPage", "Up", "Down", "Left", "Right", "Home",
		"End", "Tab", "BTab", "Esc", "Enter", "Backspace", "Delete", "M-Backspace",
	};

	if (strncmp(k, "C-", 2) == 0)
		return ((k[2] >= 'a' && k[2] <= 'z') || k[2] == '_') && k[3] == '\0';
	if (strncmp(k, "M-", 2) == 0 && k[2] > ' ' && k[2] < 0x7F && k[3] == '\0')
		return true;
	if (k[0] == 'F' && k[1] >= '1' && k[1] <= '9') {
		char *end;
		long n = strtol(k + 1, &end, 10);
		return *end == '\0' && n >= 1 && n <= 12;
	}
	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strcmp(named[i], k) == 0)
			return true;
	return false;
}

int
command_key_check(const char *action, const char *key, char *const *pairs, size_t n_pairs,
		  char **err)
{
	const struct command_def *self = command_find(action);

	if (!command_key_valid(key)) {
		err_set(err, "[keys] %s = %s: unknown key; write keys as C-x, M-x, F1..F12, PPage, "
			"NPage, Up, Down, Left, Right, Home, End, Tab, Esc, Enter, Backspace or "
			"Delete", action, key);
		return -1;
	}
	for (size_t i = 0; i < COMMAND_ID_COUNT; i++) {
		const struct command_def *d = &table[i];
		const char *keys = d->key;
		if (d == self)
			continue;
		for (size_t j = 0; j < n_pairs; j++)
			if (command_find(pairs[2 * j]) == d)
				keys = pairs[2 * j + 1];
		if (command_keys_have(keys, key)) {
			err_set(err, "[keys] %s = %s: %s is already the key of %s; give %s another "
				"key first (on a line above this one) or choose another key",
				action, key, key, d->name, d->name);
			return -1;
		}
	}
	return 0;
}

char *
command_usage(const struct command_def *def, char *buf, size_t size)
{
	if (!(def->flags & COMMAND_SLASH))
		snprintf(buf, size, "%s", def->name);
	else if (def->arg_hint != NULL)
		snprintf(buf, size, "/%s %s", def->name, def->arg_hint);
	else
		snprintf(buf, size, "/%s", def->name);
	return buf;
}

void
command_result_clear(struct command_result *r)
{
	free(r->text);
	free(r->owner);
	free(r->due);
	free(r->url);
	*r = (struct command_result){ .kind = COMMAND_EMPTY };
}

/* Edit distance between two short ASCII-folded strings. */
static size_t
distance(const char *a, size_t la, const char *b)
{
	size_t lb = strlen(b), row[32], prev, tmp;

	if (la >= 31 || lb >= 31)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
			tmp = row[j];
			row[j] = prev + cost;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

/* The command a mistyped name most likely meant, or NULL. */
static const struct command_def *
closest(const char *s, size_t len)
{
	const struct command_def *best = NULL;
	size_t best_d = 99;

	for (size_t i = 0; i < COMMAND_ID_COUNT; i++) {
		if (!(table[i].flags & COMMAND_SLASH))
			continue;
		if (len > 0 && strlen(table[i].name) > len && prefix_equal(table[i].name, s, len))
			return &table[i];
	}
	for (size_t i = 0; i < COMMAND_ID_COUNT; i++) {
		if (!(table[i].flags & COMMAND_SLASH))
			continue;
		size_t d = distance(s, len, table[i].name);
		for (size_t k = 0; k < COMMAND_MAX_ALIASES && table[i].aliases[k] != NULL; k++) {
			size_t dk = distance(s, len, table[i].aliases[k]);
			if (dk < d)
				d = dk;
		}
		if (d < best_d) {
			best_d = d;
			best = &table[i];
		}
	}
	return best_d <= 2 || (best_d <= 3 && len >= 6) ? best : NULL;
}

static void
unknown_command(const char *name, size_t len, char **err)
{
	const struct command_def *near = closest(name, len);

	if (near != NULL)
		err_set(err, "unknown command /%.*s; did you mean /%s? (/help lists the commands; "
			"start a note with // to write a slash)", (int)len, name, near->name);
	else
		err_set(err, "unknown command /%.*s; /help lists the commands (start a note with // "
			"to write a slash)", (int)len, name);
}

static void
needs(const struct command_def *def, char **err)
{
	err_set(err, "/%s needs %s, e.g. %s", def->name, def->arg_what, def->example);
}

/* Reads a positive number (ASCII or full-width digits, an optional "#")
 * at s; returns the bytes read, or 0 when there is no number. */
static size_t
read_number(const char *s, long *out)
{
	const char *p = s;
	long v = 0;
	int nd = 0;

	if (*p == '#')
		p++;
	for (;;) {
		int d;
		if (*p >= '0' && *p <= '9') {
			d = *p - '0';
			p++;
		} else if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBC &&
			   (unsigned char)p[2] >= 0x90 && (unsigned char)p[2] <= 0x99) {
			d = (unsigned char)p[2] - 0x90;
			p += 3;
		} else {
			break;
		}
		if (v > 100000000)
			return 0;
		v = v * 10 + d;
		nd++;
	}
	if (nd == 0)
		return 0;
	*out = v;
	return (size_t)(p - s);
}

static int
parse_number(const struct command_def *def, const char *arg, struct command_result *out,
	     char **err)
{
	size_t n;
	const char *rest;

	if (*arg == '\0') {
		needs(def, err);
		return -1;
	}
	n = read_number(arg, &out->number);
	rest = arg + n;
	if (n == 0 || (*rest != '\0' && ws_length(rest) == 0)) {
		const char *end = word_end(arg);
		err_set(err, "/%s: \"%.*s\" is not a number; give %s, e.g. %s", def->name,
			(int)(end - arg), arg, def->arg_what, def->example);
		return -1;
	}
	if (out->number <= 0) {
		err_set(err, "/%s: numbers start at 1; give %s, e.g. %s", def->name, def->arg_what,
			def->example);
		return -1;
	}
	rest = skip_ws(rest);
	if (*rest != '\0') {
		if (def->arg != COMMAND_ARG_NUMBER_TEXT) {
			err_set(err, "/%s takes only %s, e.g. %s", def->name, def->arg_what, def->example);
			return -1;
		}
		out->text = text_trim(rest);
	}
	return 0;
}

static bool
is_owner_token(const char *s)
{
	return s[0] == '@' || strncmp(s, "\xEF\xBC\xA0", 3) == 0;	/* ＠ */
}

static char *
owner_from_token(const char *s, size_t len)
{
	size_t skip = s[0] == '@' ? 1 : 3;
	const char *p = s + skip;
	size_t n = len - skip;

	/* trailing punctuation belongs to the sentence, not the name */
	for (;;) {
		if (n > 0 && strchr(",.;:!?)", p[n - 1]) != NULL)
			n--;
		else if (n >= 3 && (memcmp(p + n - 3, "、", 3) == 0 || memcmp(p + n - 3, "。", 3) == 0))
			n -= 3;
		else
			break;
	}
	return xstrndup(p, n);
}

static int
parse_action(const struct command_def *def, const char *arg, struct command_result *out,
	     char **err)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = arg;

	while (*p != '\0') {
		const char *ws = p, *tok = skip_ws(p), *end = word_end(tok);
		size_t len = (size_t)(end - tok);

		if (len == 0)
			break;
		if (is_owner_token(tok)) {
			char *owner = owner_from_token(tok, len);
			if (owner[0] == '\0' || out->owner != NULL) {
				if (owner[0] == '\0')
					err_set(err, "/%s: @ needs the owner's name right after it, e.g. @payments",
						def->name);
				else
					err_set(err, "/%s takes one @owner; found @%s and @%s", def->name,
						out->owner, owner);
				free(owner);
				strbuf_release(&sb);
				return -1;
			}
			out->owner = owner;
		} else if (len >= 4 && prefix_equal(tok, "due:", 4)) {
			char *due = xstrndup(tok + 4, len - 4);
			long day;
			if (out->due != NULL) {
				err_set(err, "/%s takes one due date; found due:%s and due:%s", def->name,
					out->due, due);
				free(due);
				strbuf_release(&sb);
				return -1;
			}
			if (!week_date_parse(due, &day)) {
				err_set(err, "/%s: \"%s\" is not a date; write the due date as due:YYYY-MM-DD, "
					"e.g. due:2026-12-15", def->name, due);
				free(due);
				strbuf_release(&sb);
				return -1;
			}
			out->due = due;
		} else {
			strbuf_add(&sb, ws, (size_t)(end - ws));
		}
		p = end;
	}
	out->text = text_trim(strbuf_str(&sb));
	strbuf_release(&sb);
	if (out->text[0] == '\0') {
		needs(def, err);
		return -1;
	}
	return 0;
}

static bool
url_valid(const char *s, size_t len)
{
	size_t scheme, host = 0;

	if (len > 8 && prefix_equal(s, "https://", 8))
		scheme = 8;
	else if (len > 7 && prefix_equal(s, "http://", 7))
		scheme = 7;
	else
		return false;
	for (size_t i = scheme; i < len && strchr("/?#", s[i]) == NULL; i++, host++)
		if (!isalnum((unsigned char)s[i]) && strchr(".-_:@[]%~", s[i]) == NULL &&
		    (unsigned char)s[i] < 0x80)
			return false;
	if (host == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return false;
	return text_utf8_valid(s, len);
}

static int
parse_url(const struct command_def *def, const char *arg, struct command_result *out,
	  char **err)
{
	const char *end = word_end(arg);

	if (*arg == '\0') {
		needs(def, err);
		return -1;
	}
	if (!url_valid(arg, (size_t)(end - arg))) {
		err_set(err, "/%s: \"%.*s\" is not an http or https URL; e.g. %s", def->name,
			(int)(end - arg), arg, def->example);
		return -1;
	}
	out->url = xstrndup(arg, (size_t)(end - arg));
	end = skip_ws(end);
	if (*end != '\0')
		out->text = text_trim(end);
	return 0;
}

static int
parse_args(const struct command_def *def, const char *arg, struct command_result *out,
	   char **err)
{
	switch (def->arg) {
	case COMMAND_ARG_NONE:
		if (*arg != '\0') {
			err_set(err, "/%s takes no argument; type /%s alone", def->name, def->name);
			return -1;
		}
		return 0;
	case COMMAND_ARG_TEXT:
		out->text = text_trim(arg);
		if (out->text[0] == '\0') {
			needs(def, err);
			return -1;
		}
		return 0;
	case COMMAND_ARG_ACTION:
		return parse_action(def, arg, out, err);
	case COMMAND_ARG_URL:
		return parse_url(def, arg, out, err);
	case COMMAND_ARG_NUMBER:
	case COMMAND_ARG_NUMBER_TEXT:
		return parse_number(def, arg, out, err);
	case COMMAND_ARG_NAME:
		out->text = text_trim(is_owner_token(arg) ? arg + (arg[0] == '@' ? 1 : 3) : arg);
		if (out->text[0] == '\0') {
			needs(def, err);
			return -1;
		}
		return 0;
	case COMMAND_ARG_COMMAND:
		if (*arg == '\0')
			return 0;
		out->text = text_trim(arg);
		if (command_find(out->text) == NULL) {
			const char *name = out->text + slash_length(out->text);
			unknown_command(name, strlen(name), err);
			return -1;
		}
		return 0;
	}
	return 0;
}

int
command_parse(const char *line, struct command_result *out, char **err)
{
	const char *p = skip_ws(line), *name, *end;
	const struct command_def *def;
	size_t sl;

	*out = (struct command_result){ .kind = COMMAND_EMPTY };
	if (*p == '\0')
		return 0;
	sl = slash_length(p);
	if (sl == 0 || slash_length(p + sl) > 0) {
		out->kind = COMMAND_NOTE;
		out->text = text_trim(sl > 0 ? p + sl : p);
		return 0;
	}
	name = p + sl;
	end = word_end(name);
	if (end == name) {
		err_set(err, "a command name must follow the /, e.g. /help; start a note with // to "
			"write a slash");
		return -1;
	}
	def = find_n(name, (size_t)(end - name));
	if (def == NULL || !(def->flags & COMMAND_SLASH)) {
		unknown_command(name, (size_t)(end - name), err);
		return -1;
	}
	out->kind = COMMAND_RUN;
	out->def = def;
	if (parse_args(def, skip_ws(end), out, err) < 0) {
		command_result_clear(out);
		return -1;
	}
	return 0;
}

static void
add_item(struct command_completions *c, char *item)
{
	c->items = xreallocarray(c->items, c->n + 1, sizeof(*c->items));
	c->items[c->n++] = item;
}

static void
complete_commands(struct command_completions *c, const char *word, bool slash)
{
	size_t len = strlen(word);

	for (size_t i = 0; i < COMMAND_ID_COUNT; i++)
		if ((table[i].flags & COMMAND_SLASH) && strlen(table[i].name) >= len &&
		    prefix_equal(table[i].name, word, len))
			add_item(c, xasprintf("%s%s", slash ? "/" : "", table[i].name));
}

static void
complete_names(struct command_completions *c, const char *word, const char *const *names,
	       size_t n_names, const char *prefix, bool allow_spaces)
{
	size_t len = strlen(word);

	for (size_t i = 0; i < n_names; i++) {
		const char *nm = names[i];
		if (strlen(nm) < len || !prefix_equal(nm, word, len))
			continue;
		if (!allow_spaces && strpbrk(nm, " \t") != NULL)
			continue;
		if (!allow_spaces && strstr(nm, "\xE3\x80\x80") != NULL)
			continue;
		add_item(c, xasprintf("%s%s", prefix, nm));
	}
}

static void
set_common(struct command_completions *c)
{
	size_t len;

	if (c->n == 0) {
		c->common = xstrdup("");
		return;
	}
	len = strlen(c->items[0]);
	for (size_t i = 1; i < c->n; i++) {
		size_t k = 0;
		while (k < len && c->items[i][k] == c->items[0][k])
			k++;
		len = k;
	}
	/* never end in the middle of a UTF-8 sequence */
	while (len > 0 && ((unsigned char)c->items[0][len] & 0xC0) == 0x80)
		len--;
	c->common = xstrndup(c->items[0], len);
}

size_t
command_complete(const char *line, const char *const *names, size_t n_names,
		 struct command_completions *out)
{
	const char *p = skip_ws(line), *word;
	size_t sl = slash_length(p);

	*out = (struct command_completions){ 0 };
	if (sl > 0 && slash_length(p + sl) == 0) {
		const char *name = p + sl, *end = word_end(name);
		if (*end == '\0') {
			out->start = (size_t)(p - line);
			complete_commands(out, name, true);
			set_common(out);
			return out->n;
		}
		const struct command_def *def = find_n(name, (size_t)(end - name));
		if (def != NULL && def->arg == COMMAND_ARG_NAME) {
			word = skip_ws(end);
			out->start = (size_t)(word - line);
			complete_names(out, word, names, n_names, "", true);
			set_common(out);
			return out->n;
		}
		if (def != NULL && def->arg == COMMAND_ARG_COMMAND) {
			word = skip_ws(end);
			out->start = (size_t)(word - line);
			complete_commands(out, word + slash_length(word), false);
			set_common(out);
			return out->n;
		}
	}
	/* the last word, when it starts with @ */
	word = line;
	for (const char *q = line; *q != '\0';) {
		size_t n = ws_length(q);
		if (n > 0) {
			q += n;
			word = q;
		} else {
			q++;
		}
	}
	if (*word == '@') {
		out->start = (size_t)(word - line);
		complete_names(out, word + 1, names, n_names, "@", false);
	}
	set_common(out);
	return out->n;
}

void
command_completions_clear(struct command_completions *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->items[i]);
	free(c->items);
	free(c->common);
	*c = (struct command_completions){ 0 };
}
