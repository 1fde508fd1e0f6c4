#!/bin/sh
# The store refuses a write during a meeting (here another program holds
# the database locked; tests/test_faults.c does a full disk and a read-only
# database at the session level): the typed line stays in the input line,
# the status line says why, and Enter records it once the store is back.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/storefail.db
"$FK" --db "$DB" roster add Aoi >/dev/null
"$FK" --db "$DB" roster add Ken >/dev/null

start 120 30 "$FK" --db "$DB" meeting --week 2026-W49
wait_for "Before we start"
keys Enter
wait_for "Minutes"
type_line "recorded before the lock"
wait_for "recorded before the lock"

lock_db "$DB"

type_line "typed while the database is locked"
wait_for "not saved (the line is kept; Enter tries again)"
wait_for "database is locked"
assert_contains "the typed line is still in the input line" \
	"> typed while the database is locked" "$(screen)"

unlock_db
keys Enter
# recorded, and the input line empty again
i=0
while [ "$(sql "select count(*) from minutes")" != 2 ] && [ $i -lt $((100 * FK_SLOW)) ]; do
	sleep 0.1
	i=$((i + 1))
done
wait_for "note      typed while the database is locked"
i=0
while [ $i -lt $((100 * FK_SLOW)) ]; do
	case "$(screen)" in
	*"> typed while the database is locked"*) ;;
	*) break ;;
	esac
	sleep 0.1
	i=$((i + 1))
done
assert_not_contains "the input line is empty again" "> typed while the database is locked" \
	"$(screen)"
type_line "/quit"
wait_for "[exited] 0"

assert_eq "every entry, once" "recorded before the lock
typed while the database is locked" "$(sql "select body from minutes order by seq")"
assert_eq "the other program's table was rolled back" 0 \
	"$(sql "select count(*) from sqlite_schema where name = 'hold'")"
finish
