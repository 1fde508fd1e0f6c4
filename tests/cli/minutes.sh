#!/bin/sh
# furikaeri import (minutes) / export / actions / stats / history through the
# real binary, on a store that holds one meeting imported from its minutes.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/db/fk.db
MIN=$FIXTURES/minutes/2026-W49.json
export FURIKAERI_TODAY=2026-12-03

run "$FK" --db "$DB" import "$MIN"
assert_eq "import minutes" "added 1, updated 0, unchanged 0, failed 0" "$out"
assert_eq "import exit status" 0 "$rc"
run "$FK" --db "$DB" import "$MIN"
assert_eq "import minutes again" "added 0, updated 0, unchanged 1, failed 0" "$out"

# A format_version 1 file (before authors) still imports; it comes back
# as version 2 with no authors.
run "$FK" --db "$SCRATCH/v1.db" import "$FIXTURES/minutes/v1-2026-W49.json"
assert_eq "import v1 minutes" "added 1, updated 0, unchanged 0, failed 0" "$out"
run "$FK" --db "$SCRATCH/v1.db" export --week 2026-W49 --format json
assert_contains "v1 exported as v2" '"format_version": 2' "$out"
assert_contains "v1: no author" '"author": null' "$out"
assert_not_contains "v1: nobody made up" '"author": "' "$out"
assert_contains "v1: the words" "リトライにジッターがなかった" "$out"

# JSON round trip: the store gives back the very file it imported.
run "$FK" --db "$DB" export --week 2026-W49 --format json -o "$SCRATCH/w49.json"
assert_eq "export json exit status" 0 "$rc"
cmp -s "$MIN" "$SCRATCH/w49.json" || fail "export after import differs from the imported file"

# Markdown and Slack; the week defaults to today's.
run "$FK" --db "$DB" export --format md
assert_eq "export md exit status" 0 "$rc"
assert_contains "md: who said it" "**note** *田中:* リトライにジッターがなかった" "$out"
assert_contains "json: authors" '"author": "田中"' "$(cat "$SCRATCH/w49.json")"
assert_contains "json: version 2" '"format_version": 2' "$(cat "$SCRATCH/w49.json")"
assert_contains "md title" "# Postmortem review 2026-W49" "$out"
assert_contains "md Japanese" "リトライにジッターがなかった" "$out"
assert_contains "md measure" "Add jitter + retry budget — owner: Mei, due: 2026-12-15" "$out"
run "$FK" --db "$DB" export --format slack
assert_contains "slack title" "*Postmortem review 2026-W49*" "$out"
assert_contains "slack link" "<https://acme.atlassian.net/browse/OPS-413|OPS-413>" "$out"

# export --format md links a postmortem stored relative to the archive the
# way the wrap-up minutes do: from the folder the output goes to when it is
# in the archive, at [postmortems] url when set, else by its full path when
# found from the current folder, else as stored. The JSON keeps the source.
REPO=$SCRATCH/repo
mkdir -p "$REPO/.git" "$REPO/docs/pm" "$REPO/minutes" "$SCRATCH/out"
printf '# Payment API timeouts after deploy\n' >"$REPO/docs/pm/pm-031.md"
sed 's#https://github.com/acme/postmortems/blob/main/pm-031.md#docs/pm/pm-031.md#' "$MIN" >"$SCRATCH/rel.json"
RDB=$SCRATCH/db/rel.db
run "$FK" --db "$RDB" import "$SCRATCH/rel.json"
assert_eq "import minutes with a root-relative source" 0 "$rc"
link="[pm-031: Payment API timeouts after deploy]"
run "$FK" --db "$RDB" export --week 2026-W49 --format md -o "$REPO/minutes/2026-W49.md"
assert_contains "-o into the archive: relative to its folder" "$link(<../docs/pm/pm-031.md>)" \
	"$(cat "$REPO/minutes/2026-W49.md")"
out=$(cd "$REPO/minutes" && "$FK" --db "$RDB" export --week 2026-W49 --format md)
assert_contains "stdout in the archive: relative to the current folder" "$link(<../docs/pm/pm-031.md>)" "$out"
full=$(cd "$REPO/docs/pm" && pwd -P)/pm-031.md
out=$(cd "$REPO" && "$FK" --db "$RDB" export --week 2026-W49 --format md -o "$SCRATCH/out/w49.md" && cat "$SCRATCH/out/w49.md")
assert_contains "-o outside the archive: the full path" "$link(<$full>)" "$out"
run "$FK" --db "$RDB" export --week 2026-W49 --format md
assert_contains "found nowhere: the stored path" "$link(<docs/pm/pm-031.md>)" "$out"
printf '[postmortems]\nurl = https://github.com/acme/pm/blob/main/\n' >"$SCRATCH/url.ini"
run "$FK" --config "$SCRATCH/url.ini" --db "$RDB" export --week 2026-W49 --format md -o "$REPO/minutes/2026-W49.md"
assert_contains "[postmortems] url: a web link" \
	"$link(<https://github.com/acme/pm/blob/main/docs/pm/pm-031.md>)" "$(cat "$REPO/minutes/2026-W49.md")"
run "$FK" --db "$RDB" export --week 2026-W49 --format json
assert_eq "json keeps the stored source" docs/pm/pm-031.md \
	"$(printf '%s' "$out" | jq -r '.items[] | select(.postmortem == "pm-031") | .source')"

# Another facilitator's minutes name a measure this store already holds from
# the postmortem's file, reworded: it keeps its identity, found by the
# minutes' marker first (none here yet), then by ticket, then by a close
# title, and takes the marker so its ticket is found by it and the minutes
# export as they came.
MDB=$SCRATCH/db/marker.db
cat >"$SCRATCH/pm-031.md" <<'EOF_PM'
---
id: pm-031
title: Payment API timeouts after deploy
date: 2026-11-27
severity: SEV2
---
# Payment API timeouts after deploy

## Summary

Retries without jitter exhausted the pool.

## Action items

- Add jitter and a retry budget to the client (ticket OPS-413)
- Alert on pool saturation at 90%
- Document the rollback
EOF_PM
run "$FK" --db "$MDB" import "$SCRATCH/pm-031.md"
jitter=$(sqlite3 "$MDB" "SELECT id FROM measures WHERE ticket = 'OPS-413'")
alert=$(sqlite3 "$MDB" "SELECT id FROM measures WHERE title = 'Alert on pool saturation at 90%'")
run "$FK" --db "$MDB" import "$MIN"
assert_eq "import another facilitator's minutes" 0 "$rc"
assert_eq "by ticket: the same measure, reworded, with the minutes' marker" \
	"$jitter|Add jitter + retry budget|fk-00000000000000000000000000000001" \
	"$(sqlite3 "$MDB" "SELECT id || '|' || title || '|' || marker FROM measures WHERE ticket = 'OPS-413'")"
assert_eq "by close title: the same measure" "$alert|fk-00000000000000000000000000000003" \
	"$(sqlite3 "$MDB" "SELECT id || '|' || marker FROM measures WHERE title = 'Alert on pool saturation'")"
assert_eq "no second measure for either; the new one is added" \
	"3 measures from the file, 1 new: Be more careful" \
	"$(sqlite3 "$MDB" "SELECT count(*) FILTER (WHERE origin = 'import') || ' measures from the file, ' || count(*) FILTER (WHERE origin = 'meeting') || ' new: ' || group_concat(CASE WHEN origin = 'meeting' THEN title END) FROM measures WHERE postmortem_id = 'pm-031'")"
run "$FK" --db "$MDB" export --week 2026-W49 --format json -o "$SCRATCH/marker-w49.json"
assert_eq "the minutes' markers export as imported" \
	"$(jq -c '[.entries[].measure.marker // empty]' "$MIN")" \
	"$(jq -c '[.entries[].measure.marker // empty]' "$SCRATCH/marker-w49.json")"
run "$FK" --db "$MDB" import "$MIN"
assert_eq "imported again: found by marker, nothing added" \
	"$jitter,$alert" \
	"$(sqlite3 "$MDB" "SELECT group_concat(id, ',') FROM (SELECT id FROM measures WHERE marker IN ('fk-00000000000000000000000000000001', 'fk-00000000000000000000000000000003') ORDER BY marker)")"
assert_eq "still four measures" 4 "$(sqlite3 "$MDB" "SELECT count(*) FROM measures WHERE postmortem_id = 'pm-031'")"

# The postmortem's file edited and imported again: the owner and due date
# agreed in the meeting stay (the file names neither), the file's words win.
sed -i 's/Retries without jitter exhausted the pool./Retries without jitter exhausted the pool (edited)./' \
	"$SCRATCH/pm-031.md"
run "$FK" --db "$MDB" import "$SCRATCH/pm-031.md"
assert_eq "the edited file imports" "added 0, updated 1, unchanged 0, failed 0" "$out"
assert_eq "the meeting's owner and due date stay" \
	"$jitter|Mei|2026-12-15|OPS-413" \
	"$(sqlite3 "$MDB" "SELECT id || '|' || coalesce(owner, '-') || '|' || coalesce(due, '-') || '|' || ticket FROM measures WHERE ticket = 'OPS-413'")"
run "$FK" --db "$MDB" actions --owner Mei --json
assert_eq "actions still finds Mei's measure" "$jitter" "$(printf '%s' "$out" | jq -r '.[].id')"
# A file that names an owner of its own replaces the meeting's.
sed -i 's/(ticket OPS-413)/(ticket OPS-413, owner: Ken)/' "$SCRATCH/pm-031.md"
run "$FK" --db "$MDB" import "$SCRATCH/pm-031.md"
assert_eq "the file's own owner wins" "Ken|2026-12-15" \
	"$(sqlite3 "$MDB" "SELECT coalesce(owner, '-') || '|' || coalesce(due, '-') FROM measures WHERE ticket = 'OPS-413'")"

# Two copies of the week grew apart: each has an entry 12 of its own. The
# other's is merged in under the next free seq, keeping its identity as a
# marker, so importing it again (or the merged export elsewhere) adds
# nothing twice; this store's own entry 12 stays.
GDB=$SCRATCH/db/grew.db
add_entry() {
	jq --arg t "$2" --arg at "$3" '.entries += [{"seq": 12, "item": 1, "kind": "note",
		"text": $t, "author": "Ken", "created_at": $at, "edited_at": null,
		"deleted_at": null, "measure": null}]' "$MIN" >"$1"
}
add_entry "$SCRATCH/mine.json" "typed here" 2026-12-01T10:40:00Z
add_entry "$SCRATCH/theirs.json" "typed in the other copy" 2026-12-01T10:45:00Z
jq '.entries += [.entries[-1] | .seq = 13 | .text = "and another" | .created_at = "2026-12-01T10:50:00Z"]' \
	"$SCRATCH/theirs.json" >"$SCRATCH/theirs2.json"
mv "$SCRATCH/theirs2.json" "$SCRATCH/theirs.json"
run "$FK" --db "$GDB" import "$SCRATCH/mine.json"
run "$FK" --db "$GDB" import "$SCRATCH/theirs.json"
assert_eq "the other copy merged" "added 0, updated 1, unchanged 0, failed 0" "$out"
assert_eq "both copies' entries, the other's under the next free seqs" \
	"12|typed here,13|typed in the other copy,14|and another" \
	"$(sqlite3 "$GDB" "SELECT group_concat(seq || '|' || body, ',') FROM (SELECT seq, body FROM minutes WHERE seq >= 12 ORDER BY seq)")"
run "$FK" --db "$GDB" import "$SCRATCH/theirs.json"
assert_eq "the other copy again: unchanged" "added 0, updated 0, unchanged 1, failed 0" "$out"
run "$FK" --db "$GDB" import "$SCRATCH/mine.json"
assert_eq "this copy again: unchanged" "added 0, updated 0, unchanged 1, failed 0" "$out"
assert_eq "still 14 entries" 14 "$(sqlite3 "$GDB" "SELECT count(*) FROM minutes")"
run "$FK" --db "$GDB" export --week 2026-W49 --format json -o "$SCRATCH/merged.json"
assert_eq "the merged entries export their markers" 2 \
	"$(jq '[.entries[] | select(.marker != null)] | length' "$SCRATCH/merged.json")"
run "$FK" --db "$SCRATCH/db/third.db" import "$SCRATCH/theirs.json"
run "$FK" --db "$SCRATCH/db/third.db" import "$SCRATCH/merged.json"
assert_eq "a third store: the merged copy adds only this store's entry" \
	"12|typed in the other copy,13|and another,14|typed here" \
	"$(sqlite3 "$SCRATCH/db/third.db" "SELECT group_concat(seq || '|' || body, ',') FROM (SELECT seq, body FROM minutes WHERE seq >= 12 ORDER BY seq)")"

# Mistakes get clear messages and exit codes.
run "$FK" --db "$DB" export --week 2026-W40 --format md
assert_eq "no meeting exit status" 1 "$rc"
assert_contains "no meeting message" "no meeting in week 2026-W40" "$errout"
run "$FK" --db "$DB" export --format xml
assert_eq "bad format exit status" 2 "$rc"
printf '[minutes]\nwebhook_url = http://example.com/hook/SECRET\n' >"$SCRATCH/config.ini"
chmod 600 "$SCRATCH/config.ini"
run "$FK" --db "$DB" --config "$SCRATCH/config.ini" export --post
assert_eq "post refused exit status" 5 "$rc"
assert_contains "post failure message" "not posted" "$errout"
assert_not_contains "webhook path kept secret" "SECRET" "$errout"

# Bad minutes change nothing and name the field.
printf '{"format": "furikaeri-minutes", "format_version": 1, "week": "2026-W49",\n "items": 3}\n' \
	>"$SCRATCH/bad.json"
run "$FK" --db "$DB" import "$SCRATCH/bad.json"
assert_eq "bad minutes exit status" 1 "$rc"
assert_contains "bad minutes message" "bad.json: items: expected an array" "$errout"
run "$FK" --db "$DB" export --week 2026-W49 --format json -o "$SCRATCH/after.json"
cmp -s "$MIN" "$SCRATCH/after.json" || fail "a failed import changed the meeting"

# actions: the agreed measures, not the deleted one.
run "$FK" --db "$DB" actions --json
assert_eq "actions exit status" 0 "$rc"
assert_eq "actions count" 2 "$(printf '%s' "$out" | jq length)"
assert_eq "actions age" 2 "$(printf '%s' "$out" | jq '.[0].age_days')"
assert_eq "actions ticket" OPS-413 "$(printf '%s' "$out" | jq -r '.[0].ticket')"
run "$FK" --db "$DB" actions --owner Mei --json
assert_eq "actions by owner" "Add jitter + retry budget" "$(printf '%s' "$out" | jq -r '.[].title')"
run "$FK" --db "$DB" actions --overdue --json
assert_eq "nothing overdue yet" 0 "$(printf '%s' "$out" | jq length)"
FURIKAERI_TODAY=2026-12-20 run "$FK" --db "$DB" actions --overdue
assert_contains "overdue table" "2026-12-15!" "$out"
assert_contains "overdue owner" "Mei" "$out"
assert_not_contains "overdue only" "Alert on pool saturation" "$out"

# stats
FURIKAERI_TODAY=2026-12-20 run "$FK" --db "$DB" stats --json
assert_eq "stats exit status" 0 "$rc"
assert_eq "stats agreed" 2 "$(printf '%s' "$out" | jq .measures.agreed)"
assert_eq "stats overdue" 1 "$(printf '%s' "$out" | jq .measures.overdue)"
assert_eq "stats done" 0 "$(printf '%s' "$out" | jq .measures.done)"
run "$FK" --db "$DB" stats
assert_contains "stats text" "Prevention measures" "$out"
run "$FK" --db "$DB" stats --since 2026-13-01
assert_eq "stats bad date" 2 "$rc"

# history
run "$FK" --db "$DB" history
assert_eq "history" "2026-W49  Aoi  backup Ken" "$out"
run "$FK" --db "$DB" history --person Ken
assert_eq "history of the backup" "2026-W49  Aoi  backup Ken" "$out"
run "$FK" --db "$DB" history --person Mei
assert_eq "history of someone else" "" "$out"

finish
