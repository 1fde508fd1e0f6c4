#!/bin/sh
# The second form of the synopsis: furikaeri --week W opens week W's
# meeting, with no command.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/week.db
"$FK" --db "$DB" import "$FIXTURES/import/payment-timeouts.md" >/dev/null || fail "import"
start 120 36 "$FK" --db "$DB" --week 2026-W48
wait_for "2026-W48"
type_line "/quit"
wait_for "[exited] 0"
assert_eq "the meeting of the week asked for" 2026-W48 "$(sql "select group_concat(week) from meetings")"
finish
