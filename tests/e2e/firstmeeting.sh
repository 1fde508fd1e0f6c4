#!/bin/sh
# A new team's first meeting: nobody on the roster. The meeting proposes
# the person at the keyboard (git's user.name, else the login), the first
# note confirms them, and they join the roster; nothing typed waits.
. "$FK_SRCDIR/tests/e2e/lib.sh"

mkdir -p "$SCRATCH/pm"
cp "$FK_SRCDIR/data/demo/postmortems/2026-11-24-payment-api-timeouts.md" "$SCRATCH/pm/"
cd "$SCRATCH" || exit 99
export GIT_CONFIG_NOSYSTEM=1

DB=$SCRATCH/first.db
"$FK" --db "$DB" import "$SCRATCH/pm" >/dev/null || fail "import"
printf '[user]\n\tname = Mika Tanaka\n' >"$SCRATCH/.gitconfig"
start 120 36 "$FK" --db "$DB" meeting --week 2026-W49
wait_for "proposed Mika Tanaka"
wait_for "The roster is empty"
type_line "the very first words of the meeting"
wait_for "note      the very first words of the meeting"
wait_for "Mika Tanaka facilitates 2026-W49; added to the roster"
type_line "/quit"
wait_for "[exited] 0"
assert_eq "on the roster" "Mika Tanaka" "$(sql "select name from people")"
assert_eq "facilitator" "Mika Tanaka" "$(sql "select facilitator from meetings")"
assert_eq "the note" "the very first words of the meeting" "$(sql "select body from minutes")"

# Without a git name, the login.
rm -f "$SCRATCH/.gitconfig"
DB=$SCRATCH/second.db
"$FK" --db "$DB" import "$SCRATCH/pm" >/dev/null || fail "import"
start 120 36 USER=kenji "$FK" --db "$DB" meeting --week 2026-W49
wait_for "proposed kenji"
keys Enter
wait_for "kenji facilitates 2026-W49; added to the roster"
type_line "/quit"
wait_for "[exited] 0"
assert_eq "the login on the roster" "kenji" "$(sql "select name from people")"
finish
