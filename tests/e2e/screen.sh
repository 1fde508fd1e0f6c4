#!/bin/sh
# The screen at 80x24, on resize, too small, with NO_COLOR, and with a
# postmortem full of terminal escape sequences.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/screen.db
mkdir -p "$SCRATCH/pm"
# OSC 52 clipboard write, title changes, cursor moves, a screen clear, BEL
# (the same file tests/cli/faults.sh feeds to every command).
cp "$FK_SRCDIR/tests/fixtures/escapes/evil.md" "$SCRATCH/pm/"
"$FK" --db "$DB" import "$SCRATCH/pm" >/dev/null || fail "import of the evil postmortem"
"$FK" --db "$DB" roster add Aoi --role engineering >/dev/null

start 80 24 "$FK" --db "$DB" meeting --week 2026-W49
# What the program writes to the terminal, byte for byte: capture-pane
# shows the screen tmux drew, which never holds an OSC or a BEL even when
# the program sent one.
tm pipe-pane -t fk -O "cat >>'$SCRATCH/raw.out'"
wait_for "Before we start"
keys Enter
wait_for "Summary"
# At 80 columns the agenda folds into one line under the header.
wait_for "Agenda 1/2"
wait_for "Clipboard"
tm resize-window -t fk -x 120 -y 30
wait_for "Attending:"
tm resize-window -t fk -x 80 -y 24
wait_for "Agenda 1/2"
tm pipe-pane -t fk
[ -s "$SCRATCH/raw.out" ] || fail "pipe-pane recorded nothing"
raw=$(od -An -c "$SCRATCH/raw.out" | tr -d ' \n')
assert_contains "the raw output holds the screen" "Clipboard" "$(tr -d '\000' <"$SCRATCH/raw.out")"
assert_not_contains "no OSC reaches the terminal" '033]' "$raw"
assert_not_contains "no BEL reaches the terminal" '\a' "$raw"
assert_not_contains "the title was not changed" "pwned" "$(tm display-message -p -t fk '#{pane_title}')"
assert_contains "the text around the escapes is shown" "then cleared and a bell" "$(screen)"

# Wider: the agenda gets its own pane; too small: a message, not a crash.
tm resize-window -t fk -x 120 -y 30
wait_for "Attending:"
tm resize-window -t fk -x 50 -y 12
wait_for "needs at least 60x16"
tm resize-window -t fk -x 80 -y 24
wait_for "Agenda 1/2"
type_line "still here after the resizes"
wait_for "still here after the resizes"
# Another program scribbles on the terminal (a background job, wall):
# C-l repaints the whole screen from what furikaeri holds.
printf '\033[2J\033[5;1HSCRIBBLED OVER THE SCREEN' >"$(tm display-message -p -t fk '#{pane_tty}')"
wait_for "SCRIBBLED OVER THE SCREEN"
keys C-l
i=0
while screen | grep -q "SCRIBBLED" && [ "$i" -lt $((50 * FK_SLOW)) ]; do
	sleep 0.1
	i=$((i + 1))
done
assert_not_contains "C-l repainted over the scribble" "SCRIBBLED" "$(screen)"
assert_contains "C-l brought the minutes back" "still here after the resizes" "$(screen)"
type_line "/quit"
wait_for "[exited] 0"

# Links furikaeri parsed go out as OSC 8 hyperlinks where the terminal
# shows them (FURIKAERI_HYPERLINKS=1 stands for a terminal known to), and
# never otherwise; the raw output tells.
link=https://github.com/acme/pay/pull/812
start 100 30 FURIKAERI_HYPERLINKS=1 "$FK" --db "$DB" meeting --week 2026-W49
tm pipe-pane -t fk -O "cat >>'$SCRATCH/links.out'"
wait_for "Minutes"
type_line "/link $link the fix"
wait_for "link      $link the fix"
type_line "/quit"
wait_for "[exited] 0"
grep -qaF "$(printf '\033]8;;%s\033\\%s\033]8;;\033\\' "$link" "$link")" "$SCRATCH/links.out" ||
	fail "no OSC 8 hyperlink for $link in the raw output"
start 100 30 FURIKAERI_HYPERLINKS=0 "$FK" --db "$DB" meeting --week 2026-W49
tm pipe-pane -t fk -O "cat >>'$SCRATCH/nolinks.out'"
wait_for "link      $link the fix"
type_line "/quit"
wait_for "[exited] 0"
if grep -qaF "$(printf '\033]8;')" "$SCRATCH/nolinks.out"; then
	fail "an OSC 8 hyperlink went to a terminal not known to show them"
fi

# Colour marks state when allowed; NO_COLOR leaves only attributes.
start 100 30 "$FK" --db "$DB" meeting --week 2026-W49
wait_for "Minutes"
colored=$(tm capture-pane -t fk -p -e)
type_line "/quit"
wait_for "[exited] 0"
start 100 30 NO_COLOR=1 "$FK" --db "$DB" meeting --week 2026-W49
wait_for "Minutes"
plain=$(tm capture-pane -t fk -p -e)
type_line "/quit"
wait_for "[exited] 0"
case "$colored" in
*"$(printf '\033[3')"[0-7]*) ;;
*) fail "the coloured screen shows no colour at all" ;;
esac
case "$plain" in
*"$(printf '\033[3')"[0-7]*) fail "NO_COLOR still shows colours" ;;
esac
assert_contains "NO_COLOR keeps the clock" "meeting " "$plain"

# A monochrome terminal: attributes and words carry the state, no colour.
start 100 30 TERM=vt100 "$FK" --db "$DB" meeting --week 2026-W49
wait_for "Minutes"
mono=$(tm capture-pane -t fk -p -e)
type_line "/quit"
wait_for "[exited] 0"
case "$mono" in
*"$(printf '\033[3')"[0-7]*) fail "a monochrome terminal got colours" ;;
esac

finish
