#!/bin/sh
# How files read (issue 21): the date of an update, a modification or a
# report is never the incident's date.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/fk.db
export FURIKAERI_TODAY=2026-12-08

# Dates of the document, not of the incident: never the incident's date,
# even when they come first.
mkdir -p "$SCRATCH/dates"
printf '# Cache stampede\n\nLast updated: 2026-12-07\nReported: 2026-12-06\nDate: 2026-03-02\n\n## Summary\n\nThe cache emptied.\n' \
	>"$SCRATCH/dates/cache.md"
printf '# Queue backlog\n\nLast modified: 2026-12-07\n\n## Summary\n\nThe queue grew.\n' \
	>"$SCRATCH/dates/2025-05-01-queue.md"
printf -- '---\ntitle: DNS outage\nlast_modified_at: 2026-12-07\nupdated: 2026-12-07\nreported: 2026-12-05\n---\n\n## Summary\n\nNames failed.\n' \
	>"$SCRATCH/dates/dns.md"
printf '# Login loop\n\n| Reported | Last updated | Date |\n|---|---|---|\n| 2026-12-05 | 2026-12-07 | 2026-02-10 |\n\n## Summary\n\nLogins looped.\n' \
	>"$SCRATCH/dates/login.md"
run "$FK" --db "$DB" import --check --json "$SCRATCH/dates"
assert_eq "check of document dates" 0 "$(printf '%s' "$out" | jq -e length >/dev/null; echo $?)"
dates=$(printf '%s' "$out" | jq -r '.[] | "\(.id) \(.date // "none")"' | sort | tr '\n' ' ')
assert_eq "update, modification and report dates are not the incident's" \
	"2025-05-01-queue 2025-05-01 cache 2026-03-02 dns none login 2026-02-10 " "$dates"
run "$FK" --db "$DB" import "$SCRATCH/dates"
run "$FK" --db "$DB" agenda --json
assert_eq "none of them on this week's agenda" 0 \
	"$(printf '%s' "$out" | jq '[.items[] | select(.kind == "postmortem")] | length')"

finish
