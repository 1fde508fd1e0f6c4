#!/bin/sh
# The input line as a facilitator uses it live: pastes are text, Ctrl-C
# and Esc never lose a word, an edit stays with its entry, keys typed while
# the window is too small are kept.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/input.db
start 120 36 EDITOR=true "$FK" --db "$DB" demo
wait_for "Before we start"
keys Enter
wait_for "facilitator Aoi"
wait_for "Follow-ups (2 open)"

# A paste with a command line in it is text in the input line, line breaks
# kept, never run: the item stays, and Enter records it as one entry.
printf 'line one\n/next\nline three' | tm load-buffer -
tm paste-buffer -p -t fk
wait_for "> line one↵/next↵line three"
assert_eq "the paste ran nothing" "followups" "$(sql "select kind from agenda_items where state = 'current'")"
keys Enter
wait_for "note      line one"
assert_eq "one entry, line breaks kept" "1|line one
/next
line three" "$(sql "select seq || '|' || body from minutes")"
assert_eq "still on the follow-ups" "followups" "$(sql "select kind from agenda_items where state = 'current'")"
# a tab in a paste is a tab, not completion
printf '/att\tx' | tm load-buffer -
tm paste-buffer -p -t fk
wait_for "> /att⇥x"
keys C-u

# Ctrl-C with a typed line clears it, and Ctrl-_ brings it back.
tm send-keys -t fk -l "half typed thought"
wait_for "> half typed thought"
keys C-c
wait_for "line cleared; Ctrl-_ or Ctrl-Y brings it back"
keys C-_
wait_for "> half typed thought"
keys Enter
wait_for "note      half typed thought"
# on an empty line it asks; n stays
keys C-c
wait_for "Leave the meeting? Everything is saved. y/n"
answer n
wait_for "the meeting goes on"

# Ctrl-\ and Ctrl-S do nothing harmful: the program runs, typing goes on.
keys 'C-\' C-s
tm send-keys -t fk -l "after quit and stop keys"
keys Enter
wait_for "note      after quit and stop keys"

# Esc cuts the line into the kill ring; Ctrl-Y yanks it back.
tm send-keys -t fk -l "words to keep"
wait_for "> words to keep"
esc
wait_for "line cut; Ctrl-Y or Ctrl-_ brings it back"
keys C-y
wait_for "> words to keep"
keys C-u
# Alt-b is a word back, not an Esc that clears the line.
tm send-keys -t fk -l "one two"
keys M-b
tm send-keys -t fk -l "X"
wait_for "> one Xtwo"
keys End C-u
# An arrow key split by a slow link (Esc, a pause, then "[D") is an arrow,
# not an Esc that cuts the line.
tm send-keys -t fk -l "abc"
keys Escape
sleep 0.05
tm send-keys -t fk -l "[D"
tm send-keys -t fk -l "X"
wait_for "> abXc"
keys End C-u

# Ctrl-E on an empty line edits the newest entry of the item and says so.
keys C-e
wait_for "the edited text of entry 3 is in the input line"
wait_for "edit #3> after quit and stop keys"
esc
wait_for "the edit of entry 3 is cancelled and the entry unchanged"

# An edit belongs to its entry: moving to another item ends it, and the
# next note is a new entry on the new item.
type_line "/edit 2"
wait_for "edit #2> half typed thought"
keys C-n
wait_for "the edit of entry 2 ended unsaved"
wait_for "pm-2026-034"
tm send-keys -t fk -l "first note on the second item"
keys Enter
wait_for "note      first note on the second item"
assert_eq "entry 2 untouched" "half typed thought|0" \
	"$(sql "select body || '|' || (edited_at is not null) from minutes where seq = 2")"
# A command typed while editing is a command, never the entry's text.
type_line "/edit 4"
wait_for "edit #4> first note on the second item"
keys C-u
type_line "/prev"
wait_for "the edit of entry 4 ended unsaved"
wait_for "Add request coalescing to the session cache client"
assert_eq "entry 4 untouched" "first note on the second item" \
	"$(sql "select body from minutes where seq = 4")"
assert_eq "going back does not finish the item left" "pending" \
	"$(sql "select state from agenda_items where pos = 1")"

# Keys typed while the window is too small are kept, Enter included.
tm resize-window -t fk -x 50 -y 12
wait_for "needs at least 60x16"
tm send-keys -t fk -l "typed while small"
keys Enter
tm resize-window -t fk -x 120 -y 36
wait_for "note      typed while small"

type_line "/quit"
wait_for "[exited] 0"
assert_eq "every entry" "note|line one
/next
line three
note|half typed thought
note|after quit and stop keys
note|first note on the second item
note|typed while small" "$(sql "select kind || '|' || body from minutes order by seq")"
finish
