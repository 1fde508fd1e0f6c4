#!/bin/sh
# Every table of the command line (list, search, tickets, history, roster,
# actions, stats) goes through one printer (src/table.c): no line ends
# with a space, whatever cell is empty or last, and the columns stay where
# they always were.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/db/fk.db
export FURIKAERI_TODAY=2026-12-03
: >"$SCRATCH/empty.ini"
chmod 600 "$SCRATCH/empty.ini"
CFG="--config $SCRATCH/empty.ini"

"$FK" --db "$DB" import "$FIXTURES/minutes/2026-W49.json" >/dev/null || fail "import the minutes"
# a week with no backup, so history's last column is empty
jq '.week = "2026-W48" | .backup = null | .started_at = "2026-11-24T10:00:00Z" |
    .ended_at = "2026-11-24T10:58:00Z" | .entries = []' "$FIXTURES/minutes/2026-W49.json" \
	>"$SCRATCH/w48.json"
"$FK" --db "$DB" import "$SCRATCH/w48.json" >/dev/null || fail "import week 48"
mkdir -p "$SCRATCH/pm"
printf -- '---\nid: pm-200\ntitle: "Queue backlog"\ndate: 2026-12-01\nseverity: SEV2\nstatus: ready\n---\n\n# Queue backlog\n\n## Summary\n\nThe queue backed up behind a slow consumer.\n' \
	>"$SCRATCH/pm/pm-200.md"
"$FK" --db "$DB" import "$SCRATCH/pm" >/dev/null || fail "import the postmortem"
# the minutes' roster: 佐藤 and others with no role
"$FK" --db "$DB" $CFG tickets file 3 >"$SCRATCH/file.out" 2>/dev/null

# no_trailing NAME: the output in $SCRATCH/out has lines, none ending in a space
no_trailing() {
	[ -s "$SCRATCH/out" ] || fail "$1: printed nothing"
	assert_eq "$1: lines ending with a space" 0 "$(grep -c ' $' "$SCRATCH/out")"
}
for cmd in "list" "search queue" "search 障害" "history" "roster" "actions" "stats" \
	"tickets list" "tickets list -v"; do
	# shellcheck disable=SC2086
	"$FK" --db "$DB" $CFG $cmd >"$SCRATCH/out" 2>/dev/null
	no_trailing "$cmd"
done
cp "$SCRATCH/file.out" "$SCRATCH/out"
no_trailing "tickets file"

# the columns as they were
assert_contains "roster: name, role, chat id in their columns" \
	"Mei                  engineering        (no chat id)" "$("$FK" --db "$DB" roster)"
assert_contains "roster: a wide name keeps the columns" \
	"佐藤                 -                  (no chat id)" "$("$FK" --db "$DB" roster)"
assert_contains "history: week, facilitator, backup" "2026-W49  Aoi  backup Ken" "$("$FK" --db "$DB" history)"
assert_contains "list: id, date, severity, status, title" \
	"pm-200  2026-12-01  SEV2  ready      Queue backlog" "$("$FK" --db "$DB" list)"
assert_contains "tickets: measure, tracker, state" "3      -       failed" "$("$FK" --db "$DB" $CFG tickets list)"
assert_contains "actions: the header, AGE to the right" \
	"ID    STATE       AGE OWNER DUE         TICKET" "$("$FK" --db "$DB" actions)"
finish
