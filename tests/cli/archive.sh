#!/bin/sh
# A team's whole archive on the first day: every field of every fixture as
# tests/fixtures/archive-expected.json says, and this week's agenda holds
# exactly the recent, dated postmortems that are neither templates nor drafts.
. "$FK_SRCDIR/tests/lib.sh"

export FURIKAERI_TODAY=2026-12-02
DB=$SCRATCH/db/fk.db
cp -R "$FIXTURES/archive" "$SCRATCH/archive"

# Every field of every file (the script imports into a store of its own).
run sh "$FK_SRCDIR/tests/archive_score.sh" "$FK" --strict
assert_eq "the archive reads as expected" 0 "$rc"
printf '%s\n' "$out" | grep MISMATCH >&2
case $out in
*"| measures "*" | owner "*" | due "*" | ticket "*" | status "*" | not-adopted "*) ;;
*) fail "per-field measure columns: not in [$out]" ;;
esac

# Another archive with its own expectations (issue 26's untouched corpus is
# scored this way): a measure's status is scored where it is said.
jq '{files: {"payment-retry-storm.md": (.files["gdocs/payment-retry-storm.md"]
	| .measures[0].status = "done" | .measures[1].status = "open")}}' \
	"$FIXTURES/archive-expected.json" >"$SCRATCH/gdocs-expected.json"
run sh "$FK_SRCDIR/tests/archive_score.sh" "$FK" --strict --archive "$FIXTURES/archive/gdocs" \
	--expected "$SCRATCH/gdocs-expected.json"
assert_eq "another archive scores" 0 "$rc"
assert_eq "its row" "files 1 | titles 1/1 | dates 1/1 | sections 1/1 | measures 2/2 | owner 2/2 | due 2/2 | ticket 2/2 | status 2/2 | not-adopted 0/0 | kept out of list 0/0" "$out"
jq '.files["payment-retry-storm.md"].measures[1].status = "done"
	| .files["payment-retry-storm.md"].measures[1].owner = "Aoi"' \
	"$SCRATCH/gdocs-expected.json" >"$SCRATCH/gdocs-wrong.json"
run sh "$FK_SRCDIR/tests/archive_score.sh" "$FK" --strict --archive "$FIXTURES/archive/gdocs" \
	--expected "$SCRATCH/gdocs-wrong.json"
assert_eq "a wrong status and owner fail --strict" 1 "$rc"
assert_contains "the mismatch names the fields" "measures 1/2 (of 2 titles read: owner 1 due 2 ticket 2 status 1/2)" "$out"
assert_contains "the row counts them" "| measures 1/2 | owner 1/2 | due 2/2 | ticket 2/2 | status 1/2 |" "$out"
run sh "$FK_SRCDIR/tests/archive_score.sh" "$FK" --archive "$SCRATCH/none" --expected "$SCRATCH/gdocs-expected.json"
assert_eq "a missing archive is refused" 2 "$rc"
assert_contains "and named" "none: not a folder" "$errout"

# The import itself: what was skipped, refused and left undated is said.
# -v says why each file was skipped.
run "$FK" -v --db "$DB" import "$SCRATCH/archive"
assert_eq "import exit status (two files refused)" 1 "$rc"
assert_eq "summary" "added 47, updated 0, unchanged 0, failed 2, skipped 14 (6 templates), converted 2 (1 from Shift_JIS, 1 from UTF-16)" "$out"
assert_contains "-v: roster" "people.json: a roster of people" "$errout"
assert_contains "-v: README" "README.md: a README describes its folder" "$errout"
assert_contains "-v: template" "blank.md: the title is a placeholder" "$errout"
assert_contains "-v: encoding" "2026-11-10-sjis-report.md: converted from Shift_JIS" "$errout"
assert_contains "TOML refused with file:line" "hugo/2026-11-20-cdn.md:1: TOML front matter (+++)" "$errout"
assert_contains "Latin-1 refused with file:line" "latin1-notes.md:1: not UTF-8" "$errout"
assert_contains "undated file named" "undated-cache-incident.md: no date found" "$errout"
assert_contains "what to add" 'add "date: YYYY-MM-DD"' "$errout"
assert_contains "ambiguous date reported" '"03/04/2026" (metadata) reads as day/month or month/day' "$errout"
assert_contains "undated count" "2 postmortems without a date stay off every agenda" "$errout"

run "$FK" --db "$DB" import "$SCRATCH/archive"
assert_eq "re-import summary" "added 0, updated 0, unchanged 53, failed 2, skipped 8, converted 2 (1 from Shift_JIS, 1 from UTF-16)" "$out"

# This week's agenda: exactly the expected postmortems, most severe first.
run "$FK" --db "$DB" agenda --json
assert_eq "agenda exit status" 0 "$rc"
want=$(jq -r '.files | to_entries[] | select(.value.agenda)
	| (.value.id // (.key | sub(".*/"; "") | sub("\\.md$"; "") | ascii_downcase | gsub("[^a-z0-9]+"; "-")))' \
	"$FIXTURES/archive-expected.json" | sort)
got=$(printf '%s' "$out" | jq -r '.items[] | select(.kind == "postmortem") | .id' | sort)
assert_eq "agenda postmortems" "$want" "$got"
assert_eq "agenda opens with follow-ups" followups "$(printf '%s' "$out" | jq -r '.items[0].kind')"
assert_eq "agenda ends with wrap-up" wrapup "$(printf '%s' "$out" | jq -r '.items[-1].kind')"
assert_eq "budgets add up to the hour" 60 "$(printf '%s' "$out" | jq '[.items[].minutes] | add')"
assert_eq "most severe first" 2026-11-23-quota "$(printf '%s' "$out" | jq -r '[.items[] | select(.kind == "postmortem")][0].id')"
# follow-ups: open measures of earlier postmortems dated in the 90 days
# before this week; none from 2019 or 2021, none of a template, and those
# of this meeting's own postmortems are discussed with them
fu=$(printf '%s' "$out" | jq -r '[.followups[] | "\(.postmortem):\(.title)"] | join(",")')
assert_eq "follow-ups" "2026-10-14-session-cache:Add jitter to session TTLs again" "$fu"
printf '[meeting]\nfollowup_days = 30\n' >"$SCRATCH/fu.ini"
run "$FK" --config "$SCRATCH/fu.ini" --db "$DB" agenda --json
assert_eq "followup_days = 30 leaves October out" 0 "$(printf '%s' "$out" | jq '.followups | length')"
run "$FK" --db "$DB" agenda --week 2026-W49
assert_contains "agenda as Markdown" "# Agenda 2026-W49" "$out"
assert_contains "agenda names the item" "Storage quota exceeded (SEV1)" "$out"

# Templates are listed only with --templates, never searched.
run "$FK" --db "$DB" list --json
assert_eq "list has no templates" 0 "$(printf '%s' "$out" | jq '[.[] | select(.id == "blank")] | length')"
run "$FK" --db "$DB" list --templates --json
assert_eq "list --templates" "blank,incident-report,postmortem,postmortem-template,postmortem-template-ja,template" \
	"$(printf '%s' "$out" | jq -r '[.[].id] | sort | join(",")')"
run "$FK" --db "$DB" list --week 2026-W48 --json
assert_eq "list --week agrees with the agenda's dates" \
	"2026-11-23-quota,2026-11-24-push-delay,2026-11-25-api-latency,2026-11-26-cache-eviction,2026-11-26-search,2026-11-27-queue-backlog,2026-11-28-login-errors,jira-export" \
	"$(printf '%s' "$out" | jq -r '[.[].id] | sort | join(",")')"
run "$FK" --db "$DB" search --json paragraph
assert_eq "templates are not searched" 0 "$(printf '%s' "$out" | jq length)"
run "$FK" --db "$DB" search --json quota
assert_contains "postmortems are" 2026-11-23-quota "$out"

# Jekyll's space-separated tags, front matter authors.
run "$FK" --db "$DB" show 2026-11-16-sso-outage --json
assert_eq "tags as a space string" "auth,sso,certificates" "$(printf '%s' "$out" | jq -r '.tags | join(",")')"

# [import] date_order reads the ambiguous date.
printf '[import]\ndate_order = dmy\n' >"$SCRATCH/dmy.ini"
run "$FK" --config "$SCRATCH/dmy.ini" --db "$DB" import --check --json "$SCRATCH/archive/dates/ambiguous.md"
assert_eq "date_order = dmy" 2026-04-03 "$(printf '%s' "$out" | jq -r '.[0].date')"
printf '[import]\njira_projects = SEC\n' >"$SCRATCH/jira.ini"
run "$FK" --config "$SCRATCH/jira.ini" --db "$DB" import --check --json "$SCRATCH/archive/misc/2026-11-21-artifact-checksums.md"
assert_eq "jira_projects: OPS-77 is no key" "Answer HTTP-503 with Retry-After from the mirror (OPS-77)|" \
	"$(printf '%s' "$out" | jq -r '.[0].measures[1] | "\(.title)|\(.ticket // "")"')"
assert_eq "jira_projects: SEC-12 is" SEC-12 "$(printf '%s' "$out" | jq -r '.[0].measures[2].ticket')"
# A bare key is a ticket only when its project is configured: "Add jitter to
# gateway retries OPS-388" keeps its key in the title without jira_projects.
run "$FK" --db "$DB" import --check --json "$SCRATCH/archive/gdocs/payment-retry-storm.md"
assert_eq "bare key without jira_projects stays in the title" "Add jitter to gateway retries OPS-388|" \
	"$(printf '%s' "$out" | jq -r '.[0].measures[0] | "\(.title)|\(.ticket // "")"')"
printf '[import]\njira_projects = SEC, OPS\n' >"$SCRATCH/jira2.ini"
run "$FK" --config "$SCRATCH/jira2.ini" --db "$DB" import --check --json "$SCRATCH/archive/gdocs/payment-retry-storm.md"
assert_eq "jira_projects = OPS: the bare key is a ticket" "Add jitter to gateway retries|OPS-388" \
	"$(printf '%s' "$out" | jq -r '.[0].measures[0] | "\(.title)|\(.ticket // "")"')"

# --check stores nothing and creates no database.
run "$FK" --db "$SCRATCH/none/fk.db" import --check "$SCRATCH/archive/sre"
assert_eq "--check exit status" 0 "$rc"
assert_contains "--check: date and where from" "2015-10-21 (from the section)" "$out"
assert_contains "--check: measure with owner and ticket" \
	"Alert when the builder is within 10% of its quota [open, owner mgarcia, ticket SRCH-88]" "$out"
assert_contains "--check: template" "template (the file name says it is a template)" "$out"
assert_eq "--check creates no database" no "$([ -e "$SCRATCH/none/fk.db" ] && echo yes || echo no)"

# Re-import keeps furikaeri's own state: a filed ticket and a synced "done".
id=$(sqlite3 "$DB" "SELECT id FROM measures WHERE title = 'Replicate hot keys to two nodes'")
sqlite3 "$DB" "UPDATE measures SET ticket = 'OPS-990', ticket_url = 'https://acme.atlassian.net/browse/OPS-990', status = 'done' WHERE id = $id"
f=$SCRATCH/archive/pagerduty/2026-11-25-api-latency.md
sed -i 's/Replicate hot keys to two nodes/Replicate hot keys to two cache nodes/; s/25 minutes/26 minutes/' "$f"
run "$FK" --db "$DB" import "$f"
assert_eq "edited file updated" "added 0, updated 1, unchanged 0, failed 0" "$out"
assert_eq "reworded measure keeps its id, ticket and done" "$id|OPS-990|done|Replicate hot keys to two cache nodes" \
	"$(sqlite3 "$DB" "SELECT id, ticket, status, title FROM measures WHERE id = $id")"

# A changed id is the same postmortem, renamed, its measures kept.
f=$SCRATCH/archive/ja/2026-11-24-push-delay.md
mid=$(sqlite3 "$DB" "SELECT id FROM measures WHERE postmortem_id = '2026-11-24-push-delay' ORDER BY pos LIMIT 1")
sed -i 's/^title: /id: pm-push-2026\ntitle: /' "$f"
run "$FK" --db "$DB" import "$f"
assert_eq "renamed: one postmortem" "0|1" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM postmortems WHERE id = '2026-11-24-push-delay'")|$(sqlite3 "$DB" "SELECT count(*) FROM postmortems WHERE id = 'pm-push-2026'")"
assert_eq "renamed: measure kept" pm-push-2026 "$(sqlite3 "$DB" "SELECT postmortem_id FROM measures WHERE id = $mid")"

# A team's heading list changes: unchanged files are read again.
mkdir -p "$SCRATCH/config/furikaeri/headings"
: >"$SCRATCH/config/furikaeri/config.ini"
printf 'Description\n' >"$SCRATCH/config/furikaeri/headings/summary.txt"
run "$FK" --db "$DB" import "$SCRATCH/archive/dates/jira-export.md"
assert_eq "a new synonym re-reads the file" "added 0, updated 1, unchanged 0, failed 0" "$out"
run "$FK" --db "$DB" show jira-export --json
assert_contains "Description is now the summary" "feature flag flip" "$(printf '%s' "$out" | jq -r .sections.summary)"

# Sources are stored relative to the archive: the git work tree holding
# the file, else [postmortems] root; a store that knew the full path keeps
# the same postmortem.
mkdir -p "$SCRATCH/repo/docs"
cp "$FIXTURES/archive/misc/2026-11-23-quota.md" "$SCRATCH/repo/docs/"
run "$FK" --db "$SCRATCH/repo.db" import "$SCRATCH/repo/docs"
assert_eq "full path without a work tree" "$(cd "$SCRATCH/repo/docs" && pwd -P)/2026-11-23-quota.md" \
	"$("$FK" --db "$SCRATCH/repo.db" show 2026-11-23-quota --json | jq -r .source)"
mkdir "$SCRATCH/repo/.git"
run "$FK" --db "$SCRATCH/repo.db" import "$SCRATCH/repo/docs"
assert_eq "now in a work tree: the same postmortem" "added 0, updated 1, unchanged 0, failed 0" "$out"
assert_eq "relative to the work tree" docs/2026-11-23-quota.md \
	"$("$FK" --db "$SCRATCH/repo.db" show 2026-11-23-quota --json | jq -r .source)"
assert_eq "no second postmortem" 1 "$("$FK" --db "$SCRATCH/repo.db" list --json | jq length)"
printf '[postmortems]\nroot = %s\n' "$SCRATCH/archive" >"$SCRATCH/root.ini"
run "$FK" --config "$SCRATCH/root.ini" --db "$SCRATCH/root.db" import "$SCRATCH/archive/misc/2026-11-23-quota.md"
assert_eq "relative to [postmortems] root" misc/2026-11-23-quota.md \
	"$("$FK" --db "$SCRATCH/root.db" show 2026-11-23-quota --json | jq -r .source)"

# A meeting already held (its minutes imported) keeps the agenda it had,
# its items in its order with the hour shared among them as planned (the
# budgets the items ran with are in the minutes; tests/cli/agenda_hour.sh).
run "$FK" --db "$SCRATCH/held.db" import "$FIXTURES/minutes/2026-W49.json"
run "$FK" --db "$SCRATCH/held.db" agenda --week 2026-W49 --json
assert_eq "a held meeting's own agenda" "followups:5,postmortem:25,postmortem:25,wrapup:5" \
	"$(printf '%s' "$out" | jq -r '[.items[] | "\(.kind):\(.minutes)"] | join(",")')"

# Files renamed and removed in git: a moved file is the same postmortem
# (found by its bytes, or moved and edited by its title and date), with its
# measures and their markers; a removed one is reported, leaves the agenda
# and the lists, stays in the store, and comes back with its file.
MV=$SCRATCH/moves
MDB=$SCRATCH/db/moves.db
mkdir -p "$MV/.git" "$MV/docs/2026"
pm() {
	printf '# %s\n\nDate: 2026-12-01\nSeverity: SEV2\n\n## Summary\n\n%s\n\n## Action items\n\n- [ ] %s\n' \
		"$1" "$2" "$3" >"$MV/docs/$4"
}
pm "Queue backlog" "The queue backed up." "Alert on queue depth" queue.md
pm "Disk full" "The disk filled." "Rotate the logs" disk.md
pm "Cache stampede" "The cache fell over." "Add request coalescing" cache.md
run "$FK" --db "$MDB" import "$MV/docs"
assert_eq "moves: first import" "added 3, updated 0, unchanged 0, failed 0" "$out"
ids() {
	sqlite3 "$MDB" "SELECT group_concat(id || '|' || source, ',') FROM (SELECT id, source FROM postmortems WHERE kind = 'postmortem' ORDER BY id)"
}
marker=$(sqlite3 "$MDB" "SELECT marker FROM measures WHERE title = 'Alert on queue depth'")
mv "$MV/docs/queue.md" "$MV/docs/2026/queue-backlog.md"
mv "$MV/docs/disk.md" "$MV/docs/2026/disk-full.md"
sed -i 's/The disk filled./The disk filled up./' "$MV/docs/2026/disk-full.md"
run "$FK" --db "$MDB" import "$MV/docs"
assert_eq "moves: moved files update their postmortems" "added 0, updated 2, unchanged 1, failed 0" "$out"
assert_eq "moves: the same ids, at their new paths" \
	"cache|docs/cache.md,disk|docs/2026/disk-full.md,queue|docs/2026/queue-backlog.md" "$(ids)"
assert_eq "moves: the measure keeps its marker" "$marker" \
	"$(sqlite3 "$MDB" "SELECT marker FROM measures WHERE title = 'Alert on queue depth'")"
run "$FK" --db "$MDB" list --week 2026-W49
assert_eq "moves: listed once each" 3 "$(printf '%s\n' "$out" | grep -c 2026-12-01)"

rm "$MV/docs/cache.md"
run "$FK" --db "$MDB" import "$MV/docs"
assert_eq "removed: the summary counts it" "added 0, updated 0, unchanged 2, failed 0, retired 1" "$out"
assert_contains "removed: reported" "docs/cache.md: the file is gone; cache is retired" "$errout"
run "$FK" --db "$MDB" list --week 2026-W49
assert_not_contains "removed: off the list" "Cache stampede" "$out"
FURIKAERI_TODAY=2026-12-02 run "$FK" --db "$MDB" agenda --json
assert_not_contains "removed: off the agenda" "Cache stampede" "$out"
assert_contains "removed: the others on the agenda" "Queue backlog" "$out"
run "$FK" --db "$MDB" show cache --json
assert_eq "removed: kept in the store" "Cache stampede" "$(printf '%s' "$out" | jq -r .title)"
run "$FK" --db "$MDB" import "$MV/docs"
assert_eq "removed: reported once" "added 0, updated 0, unchanged 2, failed 0" "$out"
pm "Cache stampede" "The cache fell over." "Add request coalescing" cache.md
run "$FK" --db "$MDB" import "$MV/docs"
assert_eq "restored: the file back" "added 0, updated 1, unchanged 2, failed 0" "$out"
run "$FK" --db "$MDB" list --week 2026-W49
assert_contains "restored: listed again" "Cache stampede" "$out"

finish
