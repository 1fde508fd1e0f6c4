#!/bin/sh
# Faults through the real binary: a database locked by another program,
# not a database, or damaged; terminal escape sequences in what is
# imported; many, huge and odd files. Nothing may crash, nothing may be
# written to a database that cannot be used, and every message names the
# file. (A disk that fills or a database that turns read-only during a
# meeting: tests/test_faults.c; SIGHUP and SIGTERM: tests/e2e/signals.sh.)
. "$FK_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 is not installed (scripts/setup installs it)"; exit 77; }
export FURIKAERI_TODAY=2026-12-01

sql() {
	sqlite3 -batch -noheader "$1" "$2"
}

# no_crash WHAT: the last run ended by itself, not by a signal
no_crash() {
	[ "$rc" -lt 128 ] || fail "$1: killed by signal $((rc - 128))"
}

# raw_free WHAT: no ESC or BEL in the last run's output or errors
raw_free() {
	if LC_ALL=C grep -q "$(printf '[\033\007]')" "$SCRATCH/stdout" "$SCRATCH/stderr"; then
		fail "$1: an ESC or BEL reached the terminal: $(cat -v "$SCRATCH/stdout" | head -c 300)"
	fi
}

# run_raw CMD...: like run, keeping the exact bytes in $SCRATCH/stdout
run_raw() {
	"$@" >"$SCRATCH/stdout" 2>"$SCRATCH/stderr" && rc=0 || rc=$?
	errout=$(cat "$SCRATCH/stderr")
}

# A real database to damage: the CLI fixtures, checkpointed into one file.
GOOD=$SCRATCH/good.db
"$FK" --db "$GOOD" import "$FIXTURES/import/payment-timeouts.md" \
	"$FIXTURES/import/search-outage-ja.md" >/dev/null || fail "import into the good database"
"$FK" --db "$GOOD" roster add Aoi >/dev/null
sql "$GOOD" "pragma wal_checkpoint(TRUNCATE)" >/dev/null
rm -f "$GOOD-wal" "$GOOD-shm"

# --- Locked: the sqlite3 shell holds an exclusive transaction. ---
DB=$SCRATCH/locked.db
cp "$GOOD" "$DB"
lock_db "$DB"
run "$FK" --db "$DB" import "$FIXTURES/import/cdn-bold-lines.md"
no_crash "import into a locked database"
assert_eq "import into a locked database: exit status" 3 "$rc"
assert_contains "locked: the message names the file" "$DB" "$errout"
assert_contains "locked: the message says why" "locked" "$errout"
assert_contains "locked: the message says what to do" "another program is using it" "$errout"
run "$FK" --db "$DB" roster add Ken
assert_eq "roster add to a locked database: exit status" 3 "$rc"
assert_contains "roster add: the message names the file" "$DB" "$errout"
unlock_db
assert_eq "locked: nothing was imported" 2 "$(sql "$DB" "select count(*) from postmortems")"
assert_eq "locked: nobody was added" Aoi "$(sql "$DB" "select group_concat(name) from people")"
assert_eq "locked: the other program's work was its own" 0 \
	"$(sql "$DB" "select count(*) from sqlite_schema where name = 'hold'")"
run "$FK" --db "$DB" roster add Ken
assert_eq "unlocked: roster add works again" 0 "$rc"

# --- Not a database, or damaged: exit 3, the file named, not a byte written. ---
# check_unusable NAME DIAGNOSIS: every command refuses the file $DB with
# one diagnosis, says nothing was written, and leaves it alone
check_unusable() {
	sum=$(cksum <"$DB")
	for cmd in list "show payment-timeouts" "search timeout" stats "roster list" \
		"import $FIXTURES/import/cdn-bold-lines.md" "export --week 2026-W49 --format md"; do
		# shellcheck disable=SC2086
		run "$FK" --db "$DB" $cmd
		no_crash "$1: $cmd"
		assert_eq "$1: $cmd: exit status" 3 "$rc"
		assert_contains "$1: $cmd: the message names the file" "$DB" "$errout"
		assert_contains "$1: $cmd: the message says what is wrong" "$2" "$errout"
		assert_contains "$1: $cmd: the message says nothing was written" \
			"nothing was written to it" "$errout"
		assert_not_contains "$1: $cmd: one diagnosis" "cannot read" "$errout"
	done
	assert_eq "$1: the file is unchanged" "$sum" "$(cksum <"$DB")"
	[ ! -s "$DB-wal" ] || fail "$1: a write-ahead log was written"
}

DB=$SCRATCH/random.db
head -c 8192 /dev/urandom >"$DB"
check_unusable "random bytes" "is not a database"

DB=$SCRATCH/text.db
printf 'name,title\nAoi,Payment timeouts\n' >"$DB"
check_unusable "a CSV file" "is not a database"

DB=$SCRATCH/truncated.db
cp "$GOOD" "$DB"
truncate -s $(($(stat -c %s "$DB") / 2)) "$DB"
check_unusable "a database cut in the middle" "is damaged"

DB=$SCRATCH/header.db
cp "$GOOD" "$DB"
printf 'this is no header' | dd of="$DB" conv=notrunc 2>/dev/null
check_unusable "a database with its header overwritten" "is not a database"

# --- Another program's SQLite file: refused, byte for byte as it was. ---
DB=$SCRATCH/other.sqlite
sql "$DB" "create table t (x); insert into t values (1)"
check_unusable "another program's tables" "is another program's SQLite database (its tables: t)"
DB=$SCRATCH/other-id.sqlite
sql "$DB" "pragma application_id = 1234; create table x (y)"
check_unusable "another program's application id" "belongs to another program"
assert_eq "the foreign file keeps its version" 0 "$(sql "$DB" "pragma user_version")"

# --- furikaeri's own file from before the id: recognised and stamped. ---
DB=$SCRATCH/v1.db
sql "$DB" ".read $FIXTURES/schema-v1.sql"
assert_eq "a schema-1 file has no id yet" 0 "$(sql "$DB" "pragma application_id")"
run "$FK" --db "$DB" list
assert_eq "a schema-1 file: list works" 0 "$rc"
assert_contains "a schema-1 file: its postmortem" "pm-031" "$out"
assert_eq "a schema-1 file is stamped" 1718317673 "$(sql "$DB" "pragma application_id")"
"$FK" --db "$SCRATCH/current.db" list >/dev/null 2>&1
assert_eq "a schema-1 file is upgraded to the current schema" \
	"$(sql "$SCRATCH/current.db" "pragma user_version")" "$(sql "$DB" "pragma user_version")"
# Two furikaeri upgrading one old file at once: the second waits for the
# first and finds the file upgraded (it read the version before the lock
# and ran a step twice: "table ticket_history already exists", and a file
# left where nothing opened it again; or it gave up at once, "database is
# locked", when the first took the file to WAL under it).
races=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	DB=$SCRATCH/race-$i.db
	sql "$DB" ".read $FIXTURES/schema-v1.sql"
	"$FK" --db "$DB" list >"$SCRATCH/race-a.out" 2>&1 &
	a=$!
	"$FK" --db "$DB" roster list >"$SCRATCH/race-b.out" 2>&1 &
	b=$!
	wait "$a" || { races=$((races + 1)); cat "$SCRATCH/race-a.out" >&2; }
	wait "$b" || { races=$((races + 1)); cat "$SCRATCH/race-b.out" >&2; }
	"$FK" --db "$DB" list >/dev/null 2>&1 || races=$((races + 100))
done
assert_eq "two upgrades at once: every process and every later open succeed" 0 "$races"
DB=$SCRATCH/v4.db
cp "$GOOD" "$DB"
sql "$DB" "pragma application_id = 0"
run "$FK" --db "$DB" list
assert_eq "a schema-4 file without the id: list works" 0 "$rc"
assert_eq "a schema-4 file without the id is stamped" 1718317673 "$(sql "$DB" "pragma application_id")"
DB=$SCRATCH/empty.db
: >"$DB"
run "$FK" --db "$DB" list
assert_eq "an empty file becomes a database" 0 "$rc"
assert_eq "an empty file is stamped" 1718317673 "$(sql "$DB" "pragma application_id")"

# --- Terminal escape sequences: stored as they are, never printed raw. ---
DB=$SCRATCH/escapes.db
run_raw "$FK" --db "$DB" import "$FIXTURES/escapes"
assert_eq "import of escapes: exit status" 0 "$rc"
raw_free "import"
assert_eq "the postmortem keeps its bytes" 1 \
	"$(sql "$DB" "select count(*) from postmortems where title like '%' || char(27) || ']0;pwned' || char(7) || '%'")"
for cmd in list "list --json" "show pm-evil" "show pm-evil --json" "search clipboard" \
	"search evil" "search --json evil" "export --week 2026-W49 --format md" \
	"export --week 2026-W49 --format json" "export --week 2026-W49 --format slack" \
	actions "actions --json" stats history; do
	# shellcheck disable=SC2086
	run_raw "$FK" --db "$DB" $cmd
	assert_eq "$cmd: exit status" 0 "$rc"
	[ -s "$SCRATCH/stdout" ] || fail "$cmd printed nothing"
	raw_free "$cmd"
done
run_raw "$FK" --db "$DB" show pm-evil
assert_contains "show: the text around the escapes" "then cleared and a bell" \
	"$(cat "$SCRATCH/stdout")"
run_raw "$FK" --db "$DB" search clipboard
assert_contains "search: the snippet is there" "Clipboard" "$(cat "$SCRATCH/stdout")"

# --- 1,000 postmortems with the same title, in folders with clashing names. ---
mkdir -p "$SCRATCH/same"
for d in 0 1 2 3 4 5 6 7 8 9; do
	mkdir -p "$SCRATCH/same/team-$d"
	for n in $(seq 0 99); do
		printf -- '---\ntitle: Payment API timeouts\ndate: 2026-11-24\nseverity: SEV2\n---\n\n## Summary\n\nRun %s of folder %s.\n' \
			"$n" "$d" >"$SCRATCH/same/team-$d/pm-$n.md"
	done
done
DB=$SCRATCH/same.db
run "$FK" --db "$DB" import "$SCRATCH/same"
assert_eq "1,000 same titles: exit status" 0 "$rc"
assert_eq "1,000 same titles: summary" "added 1000, updated 0, unchanged 0, failed 0" "$out"
assert_eq "1,000 same titles: unique ids" 1000 "$(sql "$DB" "select count(distinct id) from postmortems")"
assert_eq "1,000 same titles: listed" 1000 "$("$FK" --db "$DB" list | wc -l)"
run "$FK" --db "$DB" import "$SCRATCH/same"
assert_eq "1,000 same titles: again, the same ids" \
	"added 0, updated 0, unchanged 1000, failed 0" "$out"

# --- A postmortem of 20 MB. ---
mkdir -p "$SCRATCH/huge"
{
	printf -- '---\ntitle: The endless log\ndate: 2026-11-30\nseverity: SEV2\n---\n\n## Summary\n\n'
	yes 'The cache stampede repeated itself in every region, line after line, for hours.' |
		head -c 20000000
	printf '\n\n## Timeline\n\n- 09:00 needle in the haystack\n'
} >"$SCRATCH/huge/endless.md"
DB=$SCRATCH/huge.db
run "$FK" --db "$DB" import "$SCRATCH/huge"
no_crash "import of 20 MB"
assert_eq "20 MB: exit status" 0 "$rc"
assert_eq "20 MB: summary" "added 1, updated 0, unchanged 0, failed 0" "$out"
[ "$("$FK" --db "$DB" show endless | wc -c)" -gt 20000000 ] || fail "20 MB: show prints it all"
run "$FK" --db "$DB" search needle
assert_contains "20 MB: search finds the end" "endless" "$out"

# --- Files that cannot be read, and symlink loops. Root reads any file
# whatever its mode, so unreadable means: a FIFO (opening it would block),
# a symlink to /proc/self/mem (read() fails with EIO), a character device
# (/dev/zero never ends), a dangling symlink, and a folder named like a
# file. A loop (loop -> ..) must be walked once. ---
ODD=$SCRATCH/odd
mkdir -p "$ODD/sub" "$ODD/folder.md"
cp "$FIXTURES/import/payment-timeouts.md" "$ODD/"
cp "$FIXTURES/import/cdn-bold-lines.md" "$ODD/folder.md/"
mkfifo "$ODD/pipe.md"
ln -s /proc/self/mem "$ODD/mem.md"
ln -s /dev/zero "$ODD/zero.md"
ln -s nowhere.md "$ODD/dangling.md"
ln -s .. "$ODD/sub/loop"
DB=$SCRATCH/odd.db
run timeout 120 "$FK" --db "$DB" import "$ODD"
no_crash "import of odd files"
[ "$rc" -ne 124 ] || fail "import of odd files hung"
assert_eq "odd files: exit status" 1 "$rc"
assert_eq "odd files: summary" "added 2, updated 0, unchanged 0, failed 3" "$out"
assert_contains "odd files: the FIFO is named" "$ODD/pipe.md: not a regular file or folder (a FIFO)" "$errout"
assert_contains "odd files: the device is named" "$ODD/zero.md: not a regular file or folder (a device)" "$errout"
assert_contains "odd files: the unreadable file is named" "$ODD/mem.md: cannot read" "$errout"
assert_not_contains "odd files: the dangling link is not the user's doing" "dangling" "$errout"
assert_eq "odd files: each postmortem once" 2 "$(sql "$DB" "select count(*) from postmortems")"
run timeout 60 "$FK" --db "$DB" import "$ODD/pipe.md"
[ "$rc" -ne 124 ] || fail "import of a FIFO by name hung"
assert_eq "a FIFO by name: exit status" 1 "$rc"
assert_contains "a FIFO by name: named" "$ODD/pipe.md: not a regular file or folder (a FIFO)" "$errout"

finish
