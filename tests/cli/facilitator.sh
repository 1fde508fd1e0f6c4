#!/bin/sh
# Smaller things a facilitator notices (issue 23, point 6), from the
# command line: list --templates with none says so, not "no postmortems";
# an empty .md file is skipped, not imported as a postmortem; actions and
# stats keep their columns; "(Owner: X, done)" reads as done.
. "$FK_SRCDIR/tests/lib.sh"

export FURIKAERI_TODAY=2026-12-01
DB=$SCRATCH/fac.db
# without a terminal the demo lists its week instead of opening the meeting
"$FK" --db "$DB" demo </dev/null >/dev/null 2>&1 || fail "demo"
run "$FK" --db "$DB" list --templates
assert_not_contains "not 'no postmortems yet' when there are postmortems" "no postmortems yet" "$errout"
assert_contains "it says there are no templates" "no templates indexed" "$errout"

# actions: the overdue mark does not shift TICKET, no line ends with a space
run "$FK" --db "$DB" actions
assert_contains "an overdue measure is marked" "!" "$out"
assert_eq "no trailing spaces" 0 "$(printf '%s\n' "$out" | grep -c ' $')"
col=$(printf '%s\n' "$out" | head -n 1 | awk '{ print index($0, "TICKET") }')
assert_eq "TICKET in its column on every line" "" \
	"$(printf '%s\n' "$out" | awk -v c="$col" 'NR > 1 && substr($0, c - 1, 1) != " " { print NR": "$0 }')"

# stats: a long tag and a Japanese one keep the counts in one column
mkdir -p "$SCRATCH/tags"
printf -- '---\nid: pm-long\ntitle: "A long tag"\ndate: 2026-11-25\nseverity: SEV3\nstatus: ready\ntags: [a-very-long-tag-name-for-stats, 検索基盤, db]\n---\n\n# A long tag\n\n## Summary\n\nSomething.\n' \
	>"$SCRATCH/tags/long.md"
"$FK" --db "$SCRATCH/tags.db" import "$SCRATCH/tags" >/dev/null || fail "import tags"
run "$FK" --db "$SCRATCH/tags.db" stats
tags=$(printf '%s\n' "$out" | sed -n '/^Most frequent tags/,/^$/p' | grep '^  ')
assert_eq "three tags" 3 "$(printf '%s\n' "$tags" | grep -c .)"
assert_eq "their counts in one column" 1 \
	"$(printf '%s\n' "$tags" | sed 's/[0-9]*$//' | while IFS= read -r l; do printf '%s\n' "$l" | wc -L; done | sort -u | wc -l | tr -d ' ')"

# The demo's "(Owner: Diego, done)": done, and the title without "(done)"
run "$FK" --db "$SCRATCH/check.db" import --check \
	"$FK_SRCDIR/data/demo/postmortems/2026-11-27-support-console-lookup-timeouts.md"
assert_contains "the status after the owner" \
	"Shorten the console_5xx_rate alert window from 5 to 2 minutes [done, owner Diego, ticket OPS-448]" "$out"

# export -o DIR names a file of this export's week and format
"$FK" --db "$SCRATCH/min.db" import "$FK_SRCDIR/tests/fixtures/minutes/2026-W49.json" >/dev/null ||
	fail "import minutes"
mkdir -p "$SCRATCH/out"
run env FURIKAERI_TODAY=2026-12-10 "$FK" --db "$SCRATCH/min.db" export --week 2026-W49 --format json \
	-o "$SCRATCH/out"
assert_eq "a folder is refused" 1 "$rc"
assert_contains "the name suggested" "give the file to write in it, e.g. $SCRATCH/out/2026-W49.json" "$errout"

# An empty Markdown file is not a postmortem titled "Empty".
mkdir -p "$SCRATCH/pm"
: >"$SCRATCH/pm/empty.md"
printf '\n  \n' >"$SCRATCH/pm/blank.md"
run "$FK" --db "$SCRATCH/empty.db" import "$SCRATCH/pm"
assert_eq "import exits" 0 "$rc"
assert_contains "both skipped" "added 0, updated 0, unchanged 0, failed 0, skipped 2" "$out"
run "$FK" --db "$SCRATCH/empty.db" import --check "$SCRATCH/pm"
assert_contains "the check says why" "empty.md: an empty file: nothing to import" "$out$errout"
finish
