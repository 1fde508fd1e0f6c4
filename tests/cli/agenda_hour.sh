#!/bin/sh
# The agenda fits the hour: a busy week's postmortems get at least the
# floor each, the most severe and oldest first; what does not fit waits
# under "If time permits" (said in the agenda, its Slack text and JSON);
# the budgets add up to the meeting's length; [meeting] floor_minutes
# changes the floor. A meeting held shows the budgets it opened with,
# adding up to its length, beside what each item took.
. "$FK_SRCDIR/tests/lib.sh"

export FURIKAERI_TODAY=2026-12-01
DB=$SCRATCH/hour.db
mkdir -p "$SCRATCH/pm"
i=0
while [ $i -lt 40 ]; do
	day=$((23 + i % 7))
	sev=$((1 + i % 4))
	printf -- '---\nid: pm-%03d\ntitle: "Incident %03d"\ndate: 2026-11-%02d\nseverity: SEV%d\nstatus: ready\n---\n\n# Incident %03d\n\n## Summary\n\nSomething broke.\n' \
		"$i" "$i" "$day" "$sev" "$i" >"$SCRATCH/pm/pm-$i.md"
	i=$((i + 1))
done
"$FK" --db "$DB" import "$SCRATCH/pm" >/dev/null || fail "import"

run "$FK" --db "$DB" agenda
assert_eq "agenda exits" 0 "$rc"
# 60 minutes: wrap-up 5, 55 left hold 18 items at 3 minutes
assert_contains "the agenda says it does not fit" \
	'Not everything fits the 60 minutes: 22 items wait under "If time permits"' "$out"
assert_contains "the tail" "If time permits" "$out"
assert_eq "the budgets add up to the hour" 60 \
	"$(printf '%s\n' "$out" | sed -n 's/.* — \([0-9]*\) min$/\1/p' | awk '{ s += $1 } END { print s }')"
assert_eq "every item shown with a budget has the floor" "" \
	"$(printf '%s\n' "$out" | sed -n 's/.* — \([0-9]*\) min$/\1/p' | awk '$1 < 3')"
# the first items are the SEV1s, oldest first
assert_contains "most severe and oldest first" "1. pm-000 Incident 000 (SEV1) — 4 min" "$out"
assert_not_contains "no SEV4 fits before the tail" "SEV4) — " "$out"

run "$FK" --db "$DB" agenda --json
assert_eq "json: if_time_count" 22 "$(printf '%s' "$out" | jq '.if_time_count')"
assert_eq "json: minutes add up" 60 "$(printf '%s' "$out" | jq '[.items[].minutes] | add')"
assert_eq "json: waiting items have no budget" 0 \
	"$(printf '%s' "$out" | jq '[.items[] | select(.if_time) | .minutes] | add')"

run "$FK" --db "$DB" agenda --format slack
assert_contains "the post says so too" "Not everything fits the 60 minutes" "$out"
assert_contains "the post's tail" "*If time permits*" "$out"

printf '[meeting]\nfloor_minutes = 1\n' >"$SCRATCH/floor.ini"
run "$FK" --db "$DB" --config "$SCRATCH/floor.ini" agenda --json
assert_eq "a floor of 1 fits more" 0 "$(printf '%s' "$out" | jq '.if_time_count')"
assert_eq "and still adds up" 60 "$(printf '%s' "$out" | jq '[.items[].minutes] | add')"

# A held meeting: its done items keep the budgets they ran with, which the
# early finishes of the items before them grew (a demo meeting run through
# in seconds leaves 5 + 34 + 15 + 25 = 79 minutes); the agenda shows the
# plan, adding up to the hour, and what each item took.
jq '.items[0].budget_seconds = 300 | .items[1].budget_seconds = 2040 |
    .items[3].budget_seconds = 1500' "$FIXTURES/minutes/2026-W49.json" >"$SCRATCH/held.json"
"$FK" --db "$SCRATCH/held.db" import "$SCRATCH/held.json" >/dev/null || fail "import the minutes"
run "$FK" --db "$SCRATCH/held.db" agenda --week 2026-W49
assert_eq "held: agenda exits" 0 "$rc"
assert_contains "held: the heading" "# Agenda 2026-W49 (60 min)" "$out"
assert_eq "held: the budgets add up to the hour" 60 \
	"$(printf '%s\n' "$out" | sed -n 's/.* — \([0-9]*\) min.*$/\1/p' | awk '{ s += $1 } END { print s }')"
assert_contains "held: the time an item took beside its budget" \
	"2. pm-031 Payment API timeouts after deploy — 25 min, took 12:40" "$out"
assert_contains "held: a carried item says so" "carried to next week" "$out"
run "$FK" --db "$SCRATCH/held.db" agenda --week 2026-W49 --json
assert_eq "held json: minutes add up" 60 "$(printf '%s' "$out" | jq '[.items[].minutes] | add')"
assert_eq "held json: states and times" '["done",240] ["done",760] ["carried",0] ["done",0]' \
	"$(printf '%s' "$out" | jq -c '.items[] | [.state, .spent_seconds]' | tr '\n' ' ' | sed 's/ $//')"
run "$FK" --db "$DB" agenda --json
assert_eq "json: a meeting not opened has no state" null "$(printf '%s' "$out" | jq '.items[0].state')"
finish
