#!/bin/sh
# The input line and entry editing: wide characters, completion, history,
# $EDITOR, /edit, /delete, and agenda changes typed in the meeting.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/edit.db
# keys can be rebound in the config: Ctrl-O moves to the next item here
printf '[keys]\nnext = C-o\n' >"$SCRATCH/keys.ini"
start 120 36 EDITOR="'sed -i s/draft/final/'" "$FK" --db "$DB" --config "$SCRATCH/keys.ini" demo
wait_for "Before we start"
keys Enter
wait_for "Follow-ups (2 open)"
keys C-o
wait_for "Ask 1/5"
# the help shows the keys as bound here, not the defaults
keys F1
wait_for "go to the next agenda item"
case "$(screen | grep 'go to the next agenda item')" in
*"C-o "*) ;;
*) fail "the help does not show next's key as bound: $(screen | grep 'go to the next')" ;;
esac
esc
wait_for "Ask 1/5"

# Wide characters: the cursor moves and deletes by character.
tm send-keys -t fk -l "検索の障害"
keys Left Left BSpace
tm send-keys -t fk -l "X"
keys Enter
wait_for "note      検索X障害"

# Tab completes a command, then a person; Up recalls the previous line.
tm send-keys -t fk -l "/att"
keys Tab
tm send-keys -t fk -l "Pri"
keys Tab Enter
wait_for "Priya is attending"
keys Up
wait_for "> /attend Priya"
esc

# Ctrl-E hands the line to $EDITOR; the edited text comes back to it.
tm send-keys -t fk -l "a draft note"
keys C-e
wait_for "> a final note"
keys Enter
wait_for "a final note"

# /edit N puts the entry in the line; /delete keeps it, struck out.
type_line "/edit 1"
wait_for "edit #1>"
keys C-u
tm send-keys -t fk -l "検索の障害 (edited by the room)"
keys Enter
wait_for "(edited by the room)  (edited)"
type_line "/delete 2"
wait_for "deleted"

# Agenda changes: a topic, moving the current item, unskipping.
type_line "/topic Alert fatigue in on-call"
wait_for "topic added before the wrap-up"
type_line "/skip"
type_line "/unskip 2"
wait_for "item 2 is back on the agenda"
type_line "/quit"
wait_for "[exited] 0"

assert_eq "entries as stored" "note|検索の障害 (edited by the room)|1|0
note|a final note|0|1" \
	"$(sql "select kind || '|' || body || '|' || (edited_at is not null) || '|' || (deleted_at is not null) from minutes order by seq")"
assert_eq "topic on the agenda" "topic|Alert fatigue in on-call" \
	"$(sql "select kind || '|' || title from agenda_items where kind = 'topic'")"
assert_eq "unskipped" "pending" "$(sql "select state from agenda_items where pos = 1")"
finish
