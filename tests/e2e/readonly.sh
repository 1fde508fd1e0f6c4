#!/bin/sh
# A second furikaeri on the same meeting gets a read-only view that
# follows the first, and records nothing.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/ro.db
start 120 36 "$FK" --db "$DB" demo
wait_for "Before we start"
keys Enter
wait_for "Follow-ups"
first=$TMUX_SOCKET

# The second process, in its own terminal.
open_terminal 120 36 "$FK" --db "$DB" meeting --week 2026-W49
second=$TMUX_SOCKET
wait_for "READ-ONLY"
type_line "typed in the read-only view"
wait_for "nothing typed here is recorded"

TMUX_SOCKET=$first
type_line "typed by the facilitator"
wait_for "typed by the facilitator"
TMUX_SOCKET=$second
wait_for "typed by the facilitator" 10
# the refused text left the input line for the kill ring; Ctrl-Y brings it
# back and Esc clears it
assert_not_contains "refused text cleared" "read-only> typed in the read-only view" "$(screen)"
keys C-y
wait_for "read-only> typed in the read-only view"
esc
type_line "/quit"
wait_for "[exited] 0"

# The lock is keyed on the database's real path: the same file reached
# through a symlink is read-only too.
ln -s "$DB" "$SCRATCH/link.db"
open_terminal 120 36 "$FK" --db "$SCRATCH/link.db" meeting --week 2026-W49
third=$TMUX_SOCKET
wait_for "READ-ONLY"

# A reload that does not find the meeting keeps the last view and says
# why, instead of crashing.
sqlite3 "$DB" "update meetings set week = '2026-W01'"
wait_for "cannot reload the meeting, showing it as last read" 10
wait_for "typed by the facilitator"
sqlite3 "$DB" "update meetings set week = '2026-W49'"

# When the holder leaves, the viewer offers to take over; y does.
TMUX_SOCKET=$first
type_line "/quit"
wait_for "[exited] 0"
TMUX_SOCKET=$third
wait_for "has left: take it over? y/n" 10
answer y
wait_for "this furikaeri now holds the meeting"
type_line "typed after taking over"
wait_for "note      typed after taking over"
type_line "/quit"
wait_for "[exited] 0"

assert_eq "the facilitator's entry and the one after the takeover" "typed by the facilitator
typed after taking over" "$(sql "select body from minutes order by seq")"
finish
