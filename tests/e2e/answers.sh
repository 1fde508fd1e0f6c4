#!/bin/sh
# A y/n question takes a whole answer, and a refused line leaves the input
# line: typed the way a hurried facilitator types at 80x24 (ahead of the
# screen, the rest of a word after its first letter, paste, Esc, Ctrl-C),
# nothing becomes an entry that nobody meant, and Ctrl-Y brings it back.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/answers.db
notes() {
	sql "select body from minutes order by seq" | tr '\n' '|'
}

start 80 24 "$FK" --db "$DB" demo
wait_for "Before we start"
keys Enter
wait_for "facilitator Aoi"
type_line "/go 10"
wait_for "Next week:"

# "nope, not yet" at the question: n answers, the rest is not a note.
keys C-n
wait_for "End the meeting and write the minutes? y/n"
type_line "nope, not yet"
wait_for "\"ope, not yet\" typed after the answer was not recorded"
assert_eq "no note from the rest of the answer" "" "$(notes)"
assert_eq "the input line is empty" ">" "$(screen | grep -v '^$' | tail -n 1)"
keys C-y
wait_for "> ope, not yet"
keys C-u

# Typed ahead of the question: the line is not an answer (its n neither)
# nor a note; the question waits, then y ends the meeting.
keys C-n
tm send-keys -t fk -l "great meeting"
keys Enter
wait_for "\"great meeting\" was not recorded (Ctrl-Y brings it back); the question waits"
assert_eq "the question still waits" 0 "$(sql "select ended_at is not null from meetings")"
# a paste is not an answer either
tm set-buffer -b fk "pasted words"
tm paste-buffer -p -b fk -t fk
wait_for "a paste is not an answer"
assert_eq "the question still waits after the paste" 0 \
	"$(sql "select ended_at is not null from meetings")"
answer Escape
wait_for "the meeting goes on"
assert_eq "Esc answers no" 0 "$(sql "select ended_at is not null from meetings")"
keys C-n
wait_for "End the meeting and write the minutes? y/n"
answer y
wait_for "the meeting is over; minutes written to"
assert_eq "no note from what was typed around the question" "" "$(notes)"

# A refused line leaves the input line: typing /reopen as told starts
# clean, and Ctrl-Y brings the refused line back to record it.
type_line "late note after end"
wait_for_words "/reopen to add to it (Ctrl-Y brings the line back)"
type_line "/reopen"
wait_for "the meeting is open again"
keys C-y
wait_for "> late note after end"
keys Enter
wait_for "note      late note after end"
assert_eq "the late note, whole" "late note after end|" "$(notes)"

# A refused command does not glue onto the next one.
type_line "/agree"
wait_for_words "(Ctrl-Y brings the line back)"
type_line "/ticket 99"
wait_for "99"
assert_not_contains "no glued command" "/agree/ticket" "$(screen)"

# Ctrl-C on an empty line asks to leave: "nah" is n and the rest of it.
keys C-c
wait_for "Leave the meeting? Everything is saved. y/n"
type_line "nah"
wait_for "the meeting goes on; \"ah\" typed after the answer was not recorded"
type_line "/quit"
wait_for "[exited] 0"
assert_eq "only the meant note" "late note after end|" "$(notes)"
finish
