#!/bin/sh
# The agenda fits the hour: a busy week's postmortems get at least the
# floor each, the most severe and oldest first; what does not fit waits
# under "If time permits" (said in the agenda, its Slack text and JSON);
# the budgets add up to the meeting's length; [meeting] floor_minutes
# changes the floor.
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
finish
