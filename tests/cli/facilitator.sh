#!/bin/sh
# Smaller things a facilitator notices (issue 23, point 6), from the
# command line: list --templates with none says so, not "no postmortems".
. "$FK_SRCDIR/tests/lib.sh"

export FURIKAERI_TODAY=2026-12-01
DB=$SCRATCH/fac.db
# without a terminal the demo lists its week instead of opening the meeting
"$FK" --db "$DB" demo </dev/null >/dev/null 2>&1 || fail "demo"
run "$FK" --db "$DB" list --templates
assert_not_contains "not 'no postmortems yet' when there are postmortems" "no postmortems yet" "$errout"
assert_contains "it says there are no templates" "no templates indexed" "$errout"
finish
