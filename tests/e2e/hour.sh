#!/bin/sh
# A busy week at 80x24: the meeting says what does not fit the hour before
# it starts, marks it, keeps saying it on the agenda line, and carries it
# over when the meeting ends before it.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/hour.db
mkdir -p "$SCRATCH/pm"
i=0
while [ $i -lt 40 ]; do
	printf -- '---\nid: pm-%03d\ntitle: "Incident %03d"\ndate: 2026-11-%02d\nseverity: SEV%d\nstatus: ready\n---\n\n# Incident %03d\n\n## Summary\n\nSomething broke.\n' \
		"$i" "$i" $((23 + i % 7)) $((1 + i % 4)) "$i" >"$SCRATCH/pm/pm-$i.md"
	i=$((i + 1))
done
"$FK" --db "$DB" import "$SCRATCH/pm" >/dev/null || fail "import"
"$FK" --db "$DB" roster add Aoi >/dev/null

start 80 24 "$FK" --db "$DB" meeting --week 2026-W49
wait_for "Before we start"
wait_for_words "Not everything fits the 60 minutes: 22 items (marked ?) wait if time permits"
keys Enter
wait_for "facilitator Aoi"
wait_for "· 22 if time permits"
type_line "/go 41"
wait_for "Next week:"
waiting=$(screen | sed -n 's/.* · \([0-9]*\) if time permits .*/\1/p' | head -n 1)
[ -n "$waiting" ] && [ "$waiting" -ge 20 ] || fail "the agenda line lost the count: $(screen | sed -n 2p)"
keys C-n
wait_for "End the meeting and write the minutes? y/n"
answer y
wait_for "the meeting is over"
# what waited, and what was never opened, is carried over: nothing was
# discussed, so all 40
assert_eq "what was not discussed is carried over" 40 \
	"$(sql "select count(*) from agenda_items where state = 'carried'")"
type_line "/quit"
wait_for "[exited] 0"

# the week after, the carried items come first among their severity
run env FURIKAERI_TODAY=2026-12-08 "$FK" --db "$DB" agenda --week 2026-W50 --json
assert_eq "carried into next week" 40 \
	"$(printf '%s' "$out" | jq '[.items[] | select(.carried_over)] | length')"
finish
