#!/bin/sh
# The demo's dates: moved so that the newest postmortem is yesterday's, so
# none is in the future and every one of the week is on the meeting's
# agenda, whichever day of the week the demo opens.
. "$FK_SRCDIR/tests/lib.sh"

for today in 2026-11-30 2026-12-01 2026-12-03 2026-12-06 2027-01-01 2027-03-01; do
	db=$SCRATCH/demo-$today.db
	run env FURIKAERI_TODAY=$today "$FK" --db "$db" demo
	assert_eq "demo on $today exits" 0 "$rc"
	dates=$(FURIKAERI_TODAY=$today "$FK" --db "$db" list --json |
		jq -r '.[] | .date | select(. != null) | .[0:10]' | sort)
	assert_eq "demo on $today: postmortems imported" 9 "$(printf '%s\n' "$dates" | grep -c .)"
	newest=$(printf '%s\n' "$dates" | tail -n 1)
	yesterday=$(date -u -d "$today - 1 day" +%F)
	assert_eq "demo on $today: the newest is yesterday's" "$yesterday" "$newest"
	week_ago=$(date -u -d "$today - 7 days" +%F)
	# the demo week: 8 postmortems in the 7 days before today
	recent=$(printf '%s\n' "$dates" | awk -v a="$week_ago" -v b="$today" '$0 >= a && $0 < b' | grep -c .)
	assert_eq "demo on $today: the demo week lies in the 7 days before today" 8 "$recent"
	assert_contains "demo on $today: the listing names the range" \
		"postmortems from $week_ago to $today" "$out"
	# the listing shows the demo week, nothing in the future
	assert_eq "demo on $today: listed" 8 "$(printf '%s\n' "$out" | grep -c -E '^[^ ]+ +[0-9]{4}-[0-9]{2}-[0-9]{2} ')"
done
finish
