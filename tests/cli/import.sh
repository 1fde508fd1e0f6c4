#!/bin/sh
# furikaeri import / list / show / search through the real binary.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/db/fk.db
cp -R "$FIXTURES/cli" "$SCRATCH/pm"

# A first import: four postmortems, one broken file named with its line.
run "$FK" --db "$DB" import "$SCRATCH/pm"
assert_eq "import exit status with a broken file" 1 "$rc"
assert_eq "import summary" "added 4, updated 0, unchanged 0, failed 1, skipped 1" "$out"
assert_contains "error names file and line" "broken-front-matter.md:4:" "$errout"
assert_contains "error names where the list opened" "starts on line 3" "$errout"
assert_eq "database mode" 600 "$(stat -c %a "$DB")"
assert_eq "database folder mode" 700 "$(stat -c %a "$SCRATCH/db")"

# Again: nothing changed.
run "$FK" --db "$DB" import "$SCRATCH/pm"
assert_eq "re-import summary" "added 0, updated 0, unchanged 4, failed 1, skipped 1" "$out"

# Fix the broken file and change another: one added, one updated.
printf -- '---\ntitle: Fixed front matter\ndate: 2026-11-28\nseverity: SEV3\n---\n\n# Fixed\n' \
	>"$SCRATCH/pm/broken-front-matter.md"
sed -i 's/for 37 minutes/for 38 minutes/' "$SCRATCH/pm/payment-timeouts.md"
run "$FK" --db "$DB" import "$SCRATCH/pm"
assert_eq "import after edits" "added 1, updated 1, unchanged 3, failed 0, skipped 1" "$out"
assert_eq "import exit status" 0 "$rc"
run "$FK" --db "$DB" show pm-cli-001 --json
assert_contains "updated text" "38 minutes" "$(printf '%s' "$out" | jq -r .sections.summary)"

# show --json carries every field the issue names.
run "$FK" --db "$DB" show pm-cli-001 --json
assert_eq "show exit status" 0 "$rc"
j=$out
assert_eq "id" pm-cli-001 "$(printf '%s' "$j" | jq -r .id)"
assert_eq "title" "Payment API timeouts after deploy" "$(printf '%s' "$j" | jq -r .title)"
assert_eq "date" 2026-11-24 "$(printf '%s' "$j" | jq -r .date)"
assert_eq "severity" SEV2 "$(printf '%s' "$j" | jq -r .severity)"
assert_eq "status" ready "$(printf '%s' "$j" | jq -r .status)"
assert_eq "authors" "Aoi,Ken" "$(printf '%s' "$j" | jq -r '.authors | join(",")')"
assert_eq "tags" "payments,deploy" "$(printf '%s' "$j" | jq -r '.tags | join(",")')"
assert_contains "source" "payment-timeouts.md" "$(printf '%s' "$j" | jq -r .source)"
assert_contains "root cause" "a1b2c3d" "$(printf '%s' "$j" | jq -r .sections.root_cause)"
assert_eq "measure count" 2 "$(printf '%s' "$j" | jq '.measures | length')"
assert_eq "measure owner" Mei "$(printf '%s' "$j" | jq -r '.measures[0].owner')"
assert_eq "measure due" 2026-12-15 "$(printf '%s' "$j" | jq -r '.measures[0].due')"
assert_eq "measure status" open "$(printf '%s' "$j" | jq -r '.measures[0].status')"
assert_eq "measure ticket" OPS-412 "$(printf '%s' "$j" | jq -r '.measures[0].ticket')"
assert_eq "done measure" "done OPS-388" "$(printf '%s' "$j" | jq -r '.measures[1] | "\(.status) \(.ticket)"')"
assert_eq "measure ids are numbers" number "$(printf '%s' "$j" | jq -r '.measures[0].id | type')"

# A Japanese file without front matter: id from the file name, a task list.
run "$FK" --db "$DB" list --json
assert_eq "list count" 5 "$(printf '%s' "$out" | jq length)"
assert_eq "list keys" "date,id,severity,status,title" \
	"$(printf '%s' "$out" | jq -r '.[0] | keys | join(",")')"
assert_eq "newest first" "2026-11-28 2026-11-27 2026-11-26 2026-11-25 2026-11-24" \
	"$(printf '%s' "$out" | jq -r '[.[].date] | join(" ")')"
ja=$(printf '%s' "$out" | jq -r '.[] | select(.title == "検索の障害") | .id')
assert_eq "id from a Japanese file name" "検索の障害" "$ja"
run "$FK" --db "$DB" show "$ja" --json
assert_eq "ja measure owner" Sato "$(printf '%s' "$out" | jq -r '.measures[0].owner')"
assert_eq "ja measure due" 2026-12-10 "$(printf '%s' "$out" | jq -r '.measures[0].due')"
assert_eq "ja done task, チケット: names its ticket" "done OPS-390 アラートを追加する" \
	"$(printf '%s' "$out" | jq -r '.measures[1] | "\(.status) \(.ticket) \(.title)"')"

run "$FK" --db "$DB" list --since 2026-11-27 --json
assert_eq "list --since" 2 "$(printf '%s' "$out" | jq length)"
run "$FK" --db "$DB" list --week 2026-W48 --json
assert_eq "list --week" 5 "$(printf '%s' "$out" | jq length)"
run "$FK" --db "$DB" list --week 2026-W49 --json
assert_eq "list --week (empty)" 0 "$(printf '%s' "$out" | jq length)"
run "$FK" --db "$DB" list --week 2026-49
assert_eq "bad week" 2 "$rc"
assert_contains "bad week message" "YYYY-Www" "$errout"
run "$FK" --db "$DB" list
assert_contains "human list" "Payment API timeouts after deploy" "$out"

# Search: English words, a two-character Japanese word inside a longer run.
run "$FK" --db "$DB" search --json pool
assert_eq "english search" pm-cli-001 "$(printf '%s' "$out" | jq -r '.[0].id')"
run "$FK" --db "$DB" search --json 障害
assert_contains "japanese 2-char search" "検索の障害" "$(printf '%s' "$out" | jq -r '.[].title')"
run "$FK" --db "$DB" search --json 決済障害
assert_eq "japanese inside a run" "検索の障害" "$(printf '%s' "$out" | jq -r '.[0].title')"
# Words in any of their forms; a prefix only when asked for.
run "$FK" --db "$DB" search --json exhausting storms
assert_eq "another form of a word" pm-cli-001 "$(printf '%s' "$out" | jq -r '.[0].id')"
assert_contains "the excerpt shows the form the text has" "retry storm exhausted" \
	"$(printf '%s' "$out" | jq -r '.[0].snippet')"
run "$FK" --db "$DB" search --json paym
assert_eq "not a prefix by itself" 0 "$(printf '%s' "$out" | jq length)"
run "$FK" --db "$DB" search --json 'paym*'
assert_eq "a prefix when asked" pm-cli-001 "$(printf '%s' "$out" | jq -r '.[0].id')"
# The limit: the best N, how many there were, all with 0.
"$FK" --db "$SCRATCH/limit.db" import "$FIXTURES/cli" >/dev/null 2>&1
run "$FK" --db "$SCRATCH/limit.db" search --json --limit 1 the
assert_eq "--limit 1" 1 "$(printf '%s' "$out" | jq length)"
run "$FK" --db "$SCRATCH/limit.db" search -n 1 the
assert_contains "how many matched" "the best 1 of 3 matches" "$errout"
run "$FK" --db "$SCRATCH/limit.db" search --json --limit 0 the
assert_eq "--limit 0 is all" 3 "$(printf '%s' "$out" | jq length)"
run "$FK" --db "$SCRATCH/limit.db" search --limit many the
assert_eq "--limit not a number" 2 "$rc"
assert_contains "--limit message" "--limit takes a number" "$errout"

# Commands that speak no HTTP do not load libcurl (it took 8 ms of every
# start): it is not linked, and a search does not open it.
if [ -z "${FK_VALGRIND:-}" ]; then
	ldd "$FK" >"$SCRATCH/ldd.txt" 2>&1
	assert_not_contains "libcurl is not linked" "libcurl" "$(cat "$SCRATCH/ldd.txt")"
	LD_DEBUG=libs "$FK" --db "$DB" search pool >/dev/null 2>"$SCRATCH/ld.txt"
	assert_not_contains "search does not load libcurl" "libcurl" "$(cat "$SCRATCH/ld.txt")"
fi

# show --json imports back unchanged (the JSON format of furikaeri(5)).
"$FK" --db "$DB" show pm-cli-001 --json >"$SCRATCH/pm-cli-001.json"
run "$FK" --db "$SCRATCH/other.db" import "$SCRATCH/pm-cli-001.json"
assert_eq "json import" "added 1, updated 0, unchanged 0, failed 0" "$out"
"$FK" --db "$SCRATCH/other.db" show pm-cli-001 --json >"$SCRATCH/again.json"
assert_eq "round trip" "$(jq -S 'del(.source, .measures[].id)' "$SCRATCH/pm-cli-001.json")" \
	"$(jq -S 'del(.source, .measures[].id)' "$SCRATCH/again.json")"

# Errors: a missing id, a missing file, a symlink loop, usage.
run "$FK" --db "$DB" show no-such-id
assert_eq "show unknown id" 1 "$rc"
assert_contains "show unknown id message" "no-such-id" "$errout"
run "$FK" --db "$DB" import "$SCRATCH/missing.md"
assert_eq "missing file status" 1 "$rc"
assert_contains "missing file message" "missing.md" "$errout"
ln -s .. "$SCRATCH/pm/nested/loop"
run "$FK" --db "$DB" import "$SCRATCH/pm"
assert_eq "symlink loop" "added 0, updated 0, unchanged 5, failed 0, skipped 1" "$out"
run "$FK" --db "$DB" frobnicate
assert_eq "unknown command" 2 "$rc"
run "$FK" --db "$DB" import
assert_eq "import without paths" 2 "$rc"

# The database path from the environment, and the XDG default.
FURIKAERI_DB=$SCRATCH/env.db "$FK" import "$SCRATCH/pm/payment-timeouts.md" >/dev/null
assert_eq "FURIKAERI_DB" 1 "$(FURIKAERI_DB=$SCRATCH/env.db "$FK" list --json | jq length)"
"$FK" import "$SCRATCH/pm/payment-timeouts.md" >/dev/null
[ -f "$XDG_DATA_HOME/furikaeri/furikaeri.db" ] || fail "default database under XDG_DATA_HOME"

# Every command has --help (usage on stdout, status 0) and refuses an
# option it does not know (usage on stderr, status 2).
for c in meeting import list show search roster tickets doctor demo export actions stats \
	history; do
	run "$FK" --db "$DB" "$c" --help
	assert_eq "$c --help" 0 "$rc"
	assert_contains "$c --help text" "usage: furikaeri" "$out"
	run "$FK" --db "$DB" "$c" --no-such-option
	assert_eq "$c --no-such-option" 2 "$rc"
	assert_contains "$c --no-such-option usage" "usage: furikaeri" "$errout"
done
# Commands that take no operands say which one they did not expect.
for c in meeting list export actions stats history doctor; do
	run "$FK" --db "$DB" "$c" stray-word
	assert_eq "$c stray-word" 2 "$rc"
	assert_contains "$c stray-word message" "unexpected argument 'stray-word'" "$errout"
done

# A JSON array's elements without ids are known by their content, not
# their place: an element put first renames none, and the measures (their
# markers) stay with their postmortems.
ADB=$SCRATCH/db/array.db
mkdir -p "$SCRATCH/array"
printf '[{"title": "Payment timeouts", "date": "2026-11-20", "measures": [{"title": "Add jitter"}]},\n {"title": "Search outage", "date": "2026-11-21"}]\n' \
	>"$SCRATCH/array/incidents.json"
run "$FK" --db "$ADB" import "$SCRATCH/array/incidents.json"
assert_eq "array: two elements" "added 2, updated 0, unchanged 0, failed 0" "$out"
marker=$(sqlite3 "$ADB" "SELECT marker FROM measures WHERE title = 'Add jitter'")
printf '[{"title": "Disk full", "date": "2026-11-22"},\n {"title": "Payment timeouts", "date": "2026-11-20", "measures": [{"title": "Add jitter"}]},\n {"title": "Search outage", "date": "2026-11-21"}]\n' \
	>"$SCRATCH/array/incidents.json"
run "$FK" --db "$ADB" import "$SCRATCH/array/incidents.json"
assert_eq "array: an element put first" 0 "$rc"
assert_eq "array: each postmortem keeps its id" \
	"incidents-1|Payment timeouts,incidents-2|Search outage,incidents-3|Disk full" \
	"$(sqlite3 "$ADB" "SELECT group_concat(id || '|' || title, ',') FROM (SELECT id, title FROM postmortems ORDER BY id)")"
assert_eq "array: the measure keeps its marker" "$marker" \
	"$(sqlite3 "$ADB" "SELECT marker FROM measures WHERE title = 'Add jitter'")"
# Two elements with the same id: the second is refused, named file:[i], and
# the first stays what every import stores.
printf '[{"id": "pm-dup", "title": "First", "date": "2026-11-20"},\n {"id": "pm-dup", "title": "Second", "date": "2026-11-21"}]\n' \
	>"$SCRATCH/array/dup.json"
run "$FK" --db "$ADB" import "$SCRATCH/array/dup.json"
assert_eq "duplicate ids: exit status" 1 "$rc"
assert_contains "duplicate ids: named file:[i]" "dup.json:[1]: the id 'pm-dup' is already the id of [0]" "$errout"
run "$FK" --db "$ADB" import "$SCRATCH/array/dup.json"
assert_eq "duplicate ids: the first stays" First \
	"$(sqlite3 "$ADB" "SELECT title FROM postmortems WHERE id = 'pm-dup'")"

finish
