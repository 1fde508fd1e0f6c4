#!/bin/sh
# Status pages' incidents import (issue 26): Statuspage's public
# incidents.json, one incident ({"incident": ...}) and an incident object
# alone; a cloud provider's status feed. The updates are the timeline,
# impact or severity the severity, the report's sections and measures read
# by the Markdown rules.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/fk.db
SP=$FIXTURES/statuspage/incidents.json

run "$FK" --db "$DB" import "$SP"
assert_eq "both incidents added" "0 added 2, updated 0, unchanged 0, failed 0" "$rc $out"
run "$FK" --db "$DB" list
assert_contains "the first incident: its start, impact and status" \
	"statuspage-p4qv7n2rt8ls  2026-11-18  SEV1  postmortem  Card payments failing at checkout" "$out"
assert_contains "the second incident" "statuspage-z8m1c5h0wq2d  2026-11-12  SEV3  resolved" "$out"

run "$FK" --db "$DB" show statuspage-p4qv7n2rt8ls --json
j=$out
assert_eq "the start's time in UTC" "12:04 UTC" "$(printf '%s' "$j" | jq -r '"\(.time) \(.tz)"')"
assert_eq "sections" "impact measures root_cause summary timeline" \
	"$(printf '%s' "$j" | jq -r '.sections | keys | join(" ")')"
assert_contains "the last update is the summary" "succeeded normally since 13:00" \
	"$(printf '%s' "$j" | jq -r .sections.summary)"
assert_contains "the updates in time order" \
	"12:07 UTC investigating: We are investigating" "$(printf '%s' "$j" | jq -r .sections.timeline | head -n 1)"
assert_contains "the last update last" "13:02 UTC resolved:" \
	"$(printf '%s' "$j" | jq -r .sections.timeline | tail -n 1)"
assert_contains "the components in the impact" "Components: Checkout, Card API." \
	"$(printf '%s' "$j" | jq -r .sections.impact)"
assert_eq "the postmortem body's measures by column" \
	"Alert 30 days before any certificate expires|Ken|2026-12-15|open Move certificates to automatic renewal|Mei|2027-01-31|open Buy a second processor|||not_doing" \
	"$(printf '%s' "$j" | jq -r '[.measures[] | "\(.title)|\(.owner // "")|\(.due // "")|\(.status)"] | join(" ")')"

# the same file again: nothing changed
run "$FK" --db "$DB" import "$SP"
assert_eq "unchanged on the second import" "0 added 0, updated 0, unchanged 2, failed 0" "$rc $out"

# one incident as /api/v2/incidents/ID.json serves it, and one alone
jq '{page: .page, incident: (.incidents[1] | .id = "one1" | .name = "Slow logins")}' "$SP" \
	>"$SCRATCH/one.json"
jq '.incidents[1] | .id = "alone1" | .name = "Delayed webhooks again"' "$SP" >"$SCRATCH/alone.json"
run "$FK" --db "$DB" import "$SCRATCH/one.json" "$SCRATCH/alone.json"
assert_eq "one incident and an incident alone" "0 added 2, updated 0, unchanged 0, failed 0" \
	"$rc $out"
assert_eq "nothing said" "" "$errout"
run "$FK" --db "$DB" show statuspage-one1 --json
assert_eq "the incident of incidents/ID.json" "Slow logins 2026-11-12" \
	"$(printf '%s' "$out" | jq -r '"\(.title) \(.date)"')"
run "$FK" --db "$DB" show statuspage-alone1 --json
assert_eq "the incident alone" "Delayed webhooks again 2026-11-12 SEV3" \
	"$(printf '%s' "$out" | jq -r '"\(.title) \(.date) \(.severity)"')"

# a cloud provider's status feed: an array of incidents whose last update
# is the incident report, in Markdown
run "$FK" --db "$DB" import "$FIXTURES/statuspage/cloud-incidents.json"
assert_eq "the cloud incident added" "0 added 1, updated 0, unchanged 0, failed 0" "$rc $out"
run "$FK" --db "$DB" show cloud-Qm7tR2vX9pL4sK8dW1nF --json
j=$out
assert_eq "its start, severity and end" "2026-10-21 16:45 UTC SEV2 resolved" \
	"$(printf '%s' "$j" | jq -r '"\(.date) \(.time) \(.tz) \(.severity) \(.status)"')"
assert_eq "its title is the description" "Elevated error rates for object storage writes in us-east7" \
	"$(printf '%s' "$j" | jq -r .title)"
assert_eq "the report's sections" "impact measures root_cause summary timeline" \
	"$(printf '%s' "$j" | jq -r '.sections | keys | join(" ")')"
assert_eq "Remediation and Prevention are its measures" 2 "$(printf '%s' "$j" | jq '.measures | length')"
assert_eq "the timeline shows each update's first paragraph, in time order" 3 \
	"$(printf '%s' "$j" | jq -r .sections.timeline | grep -c '^- 2026-10-2')"
assert_not_contains "no heading in the timeline" "Incident Report" \
	"$(printf '%s' "$j" | jq -r .sections.timeline)"
assert_contains "the places in the impact" "Locations: Columbus (us-east7)." \
	"$(printf '%s' "$j" | jq -r .sections.impact)"

# a broken document names its line
printf '{"incidents": [\n  {"name": "x", "incident_updates": [}\n]}\n' >"$SCRATCH/broken.json"
run "$FK" --db "$DB" import "$SCRATCH/broken.json"
assert_eq "a broken file fails the import" 1 "$rc"
assert_contains "the error names the file and line" "broken.json:2:" "$errout"
finish
