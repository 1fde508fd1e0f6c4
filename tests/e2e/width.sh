#!/bin/sh
# East Asian ambiguous width: with [ui] ambiguous_width = 2 (a terminal
# that draws … ▶ → – • ─ · │ two columns wide, as many Japanese setups
# do) the screen's marks and lines are ASCII, so the layout stays aligned
# at 80x24; with 1 they are drawn as they are.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/width.db
printf '[ui]\nambiguous_width = 2\n' >"$SCRATCH/wide.ini"
start 80 24 "$FK" --db "$DB" --config "$SCRATCH/wide.ini" demo
wait_for "Before we start"
keys Enter
wait_for "facilitator Aoi"
wait_for "Follow-ups (2 open)"
type_line "/go 2"
wait_for "- Ask 1/5 - What happened"
out=$(screen)
for mark in … ▶ → – • ─ · │ —; do
	case "$out" in
	*"$mark"*) fail "ambiguous_width = 2 still draws $mark:
$out" ;;
	esac
done
assert_contains "the agenda line" "Agenda 2/10 . next:" "$out"
# An emoji sequence is drawn as its first emoji, which every terminal
# measures the same; what follows it stays where the layout put it.
type_line "team 👨‍👩‍👧 fixed 👍🏽 it"
wait_for "note      team 👨 fixed 👍 it"
type_line "/quit"
wait_for "[exited] 0"

# The default in a C.UTF-8 locale is 1: the marks are drawn.
start 80 24 "$FK" --db "$DB" meeting --week 2026-W49
wait_for "─ Ask 1/5 ─ What happened"
assert_contains "the agenda line" "Agenda 2/10 · next:" "$(screen)"
type_line "/quit"
wait_for "[exited] 0"

# A bad value is refused at load, naming file:line.
printf '[ui]\nambiguous_width = 3\n' >"$SCRATCH/bad.ini"
"$FK" --db "$DB" --config "$SCRATCH/bad.ini" meeting --week 2026-W49 >"$SCRATCH/out" 2>&1
assert_contains "file:line" "bad.ini:2: ambiguous_width = 3: expected a whole number from 1 to 2" \
	"$(cat "$SCRATCH/out")"
finish
