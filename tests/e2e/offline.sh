#!/bin/sh
# /ticket N with no tracker configured: the measure waits in the outbox and
# the meeting says so; `tickets push` later says what it waits for.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/offline.db
: >"$SCRATCH/empty.ini"
start 120 36 "$FK" --db "$DB" --config "$SCRATCH/empty.ini" demo
wait_for "Before we start" 20
keys Enter
keys C-n
wait_for "Ask"
type_line "/action Alert 30 days before a certificate expires @Mei due:2026-12-15"
wait_for "action 1"
type_line "/ticket 1"
wait_for "waiting for a tracker"
# the entry says it waits, not that it is being filed
wait_for "[queued: no tracker]"
assert_not_contains "not shown as filing" "filing" "$(screen)"
type_line "/ticket 1"
type_line "/quit"
wait_for "[exited] 0"
assert_eq "queued without a tracker" "queued||1" \
	"$(sql "select state || '|' || coalesce(tracker, '') || '|' || count(*) from ticket_outbox")"

# A measure that got a ticket elsewhere is never filed again; /ticket names it.
sql "delete from ticket_outbox; update measures set ticket = 'OPS-9' where id =
	(select measure_id from minutes where kind = 'action')" >/dev/null
start 120 36 "$FK" --db "$DB" --config "$SCRATCH/empty.ini" demo
wait_for "Ask" 20
type_line "/ticket 1"
wait_for "already has ticket OPS-9"
type_line "/quit"
wait_for "[exited] 0"
assert_eq "not queued again" "0" "$(sql "select count(*) from ticket_outbox")"

id=$(sql "select measure_id from minutes where kind = 'action'")
sql "update measures set ticket = NULL where id = $id" >/dev/null
run "$FK" --db "$DB" --config "$SCRATCH/empty.ini" tickets file "$id"
assert_contains "file says it waits" "waiting for a tracker" "$out"
run "$FK" --db "$DB" --config "$SCRATCH/empty.ini" tickets push
assert_eq "push exit status" 0 "$rc"
assert_contains "push says why" "waiting for a tracker" "$out"
finish
