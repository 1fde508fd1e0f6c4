#!/bin/sh
# The store is plain SQLite to every tool: with postmortems and minutes in
# it, Debian's own sqlite3 checks it "ok", reads every table, and .dump
# and .recover copy it whole. The search index, which needs furikaeri's
# tokenizer, is derived data in a file of its own beside it (DB.search):
# doctor --store checks both with the tokenizer registered, and a damaged
# or deleted index is built again from the store.
. "$FK_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null || { echo "no sqlite3 shell"; exit 77; }
DB=$SCRATCH/team.db
"$FK" --db "$DB" import "$FIXTURES/archive/ja" >/dev/null 2>&1 || fail "import the archive"
"$FK" --db "$DB" import "$FIXTURES/minutes/2026-W49.json" >/dev/null || fail "import the minutes"
pms=$(sqlite3 "$DB" "select count(*) from postmortems")
minutes=$(sqlite3 "$DB" "select count(*) from minutes")
[ "$pms" -gt 3 ] && [ "$minutes" -gt 3 ] || fail "a store with postmortems and minutes ($pms, $minutes)"

run sqlite3 "$DB" "PRAGMA integrity_check"
assert_eq "sqlite3 PRAGMA integrity_check" "ok" "$out$errout"
for table in $(sqlite3 "$DB" "select name from sqlite_schema where type = 'table'"); do
	run sqlite3 "$DB" "select count(*) from \"$table\""
	assert_eq "sqlite3 reads $table" "0" "$rc"
	assert_eq "sqlite3 reads $table: no error" "" "$errout"
done

# .dump, loaded into a new file: the same rows, and "ok" again.
sqlite3 "$DB" .dump >"$SCRATCH/dump.sql" 2>"$SCRATCH/dump.err"
assert_eq ".dump: exit status" 0 "$?"
assert_eq ".dump: no error" "" "$(cat "$SCRATCH/dump.err")"
sqlite3 "$SCRATCH/dumped.db" <"$SCRATCH/dump.sql" 2>"$SCRATCH/load.err"
assert_eq ".dump loads: no error" "" "$(cat "$SCRATCH/load.err")"
assert_eq ".dump's copy: postmortems" "$pms" "$(sqlite3 "$SCRATCH/dumped.db" "select count(*) from postmortems")"
assert_eq ".dump's copy: minutes" "$minutes" "$(sqlite3 "$SCRATCH/dumped.db" "select count(*) from minutes")"
assert_eq ".dump's copy: integrity" ok "$(sqlite3 "$SCRATCH/dumped.db" "PRAGMA integrity_check")"

# .recover needs SQLite's sqlite_dbpage table, which Debian 12's sqlite3
# (3.40) lacks: there it fails on every database, a trivial one too.
sqlite3 "$SCRATCH/trivial.db" "create table t (x); insert into t values (1)"
if sqlite3 "$SCRATCH/trivial.db" .recover >/dev/null 2>&1; then
	sqlite3 "$DB" .recover >"$SCRATCH/recover.sql" 2>"$SCRATCH/recover.err"
	assert_eq ".recover: exit status" 0 "$?"
	assert_eq ".recover: no error" "" "$(cat "$SCRATCH/recover.err")"
	sqlite3 "$SCRATCH/recovered.db" <"$SCRATCH/recover.sql"
	assert_eq ".recover's copy: postmortems" "$pms" \
		"$(sqlite3 "$SCRATCH/recovered.db" "select count(*) from postmortems")"
	assert_eq ".recover's copy: minutes" "$minutes" \
		"$(sqlite3 "$SCRATCH/recovered.db" "select count(*) from minutes")"
else
	echo "this sqlite3 ($(sqlite3 --version | cut -d' ' -f1)) cannot .recover any database: not checked"
fi

# The index: its own file, private, checked by doctor --store.
assert_eq "the index's file is private" 600 "$(stat -c %a "$DB.search")"
run "$FK" --db "$DB" doctor --store
assert_eq "doctor --store: exit status" 0 "$rc"
assert_contains "doctor --store: the store" "ok   store $DB: integrity ok" "$out"
assert_contains "doctor --store: the index" "ok   search index $DB.search: integrity ok, in step" "$out"
run "$FK" --db "$DB" search 障害
assert_contains "search" "障害" "$out"

# A damaged index is a problem doctor --store finds (exit 3); deleted, it
# is built again and searched as before. (Damaged on disk: Debian 13's
# sqlite3 refuses to write FTS5's tables itself.)
[ ! -e "$DB.search-wal" ] || fail "the index's WAL was left after the last close"
dd if=/dev/urandom of="$DB.search" bs=4096 seek=1 count=3 conv=notrunc 2>/dev/null
run "$FK" --db "$DB" doctor --store
assert_eq "doctor --store on a damaged index: exit status" 3 "$rc"
assert_contains "doctor --store on a damaged index: says so" "FAIL search index" "$out"
assert_contains "doctor --store on a damaged index: the store is fine" "ok   store $DB" "$out"
assert_contains "doctor --store on a damaged index: what to do" "rebuilt when its file is deleted" "$out"
# A change that meets it is refused, saying what to do.
run "$FK" --db "$DB" import "$FIXTURES/import/payment-timeouts.md"
assert_eq "import beside a damaged index: exit status" 3 "$rc"
assert_contains "import beside a damaged index: what to do" \
	"the search index $DB.search cannot be written: delete it" "$errout"
rm -f "$DB.search" "$DB.search-wal" "$DB.search-shm"
run "$FK" --db "$DB" import "$FIXTURES/import/payment-timeouts.md"
assert_eq "import once the index was deleted: exit status" 0 "$rc"
run "$FK" --db "$DB" doctor --store
assert_eq "doctor --store after the index was deleted: exit status" 0 "$rc"
run "$FK" --db "$DB" search 障害
assert_contains "search after the index was deleted" "障害" "$out"
run "$FK" --db "$DB" search "connection pool"
assert_contains "search finds what was imported since" "Payment API timeouts" "$out"
assert_eq "the store is still ok" ok "$(sqlite3 "$DB" "PRAGMA integrity_check")"
finish
