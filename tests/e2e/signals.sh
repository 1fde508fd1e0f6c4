#!/bin/sh
# SIGTERM mid-meeting, and the terminal closing under it (tmux kill-session
# sends SIGHUP): the program ends by itself, and on reopening every entry
# is there and the clocks kept the time spent up to the signal, not only
# up to the last periodic save (every 10 s). kill -9: tests/e2e/crash.sh.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/signals.db
"$FK" --db "$DB" import "$FIXTURES/import/payment-timeouts.md" \
	"$FIXTURES/import/search-outage-ja.md" >/dev/null || fail "import"
"$FK" --db "$DB" roster add Aoi >/dev/null
"$FK" --db "$DB" roster add Ken >/dev/null

# The meeting with two more entries on its current item, then 3 seconds.
meet() {
	start 100 30 "$FK" --db "$DB" meeting --week 2026-W49
	wait_for "Agenda"
	if [ "$1" = confirm ]; then
		wait_for "Before we start"
		keys Enter
	fi
	wait_for "Minutes"
	type_line "$2"
	type_line "/action $3 @Aoi due:2026-12-15"
	wait_for "$3"
	sleep 3
}

meet confirm "first note before SIGTERM" "Add jitter to retries"
pid=$(fk_pid)
[ -n "$pid" ] || fail "no furikaeri process for SIGTERM"
kill -TERM "$pid"
wait_for "[exited] 0"
assert_eq "after SIGTERM: entries" "first note before SIGTERM
Add jitter to retries" "$(sql "select body from minutes order by seq")"
spent=$(sql "select sum(spent_seconds) from agenda_items")
[ "$spent" -ge 3 ] || fail "after SIGTERM: the clocks lost the last seconds (spent $spent s)"
kill -0 "$pid" 2>/dev/null && fail "furikaeri still runs after SIGTERM"

# The terminal goes away: tmux kills the session, the program gets SIGHUP.
meet again "second note before SIGHUP" "Page the on-call earlier"
pid=$(fk_pid)
[ -n "$pid" ] || fail "no furikaeri process for SIGHUP"
before=$spent
tm kill-session -t fk
i=0
while kill -0 "$pid" 2>/dev/null && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
kill -0 "$pid" 2>/dev/null && fail "furikaeri still runs after its terminal closed"
assert_eq "after SIGHUP: entries" "first note before SIGTERM
Add jitter to retries
second note before SIGHUP
Page the on-call earlier" "$(sql "select body from minutes order by seq")"
spent=$(sql "select sum(spent_seconds) from agenda_items")
[ "$spent" -ge $((before + 3)) ] || fail "after SIGHUP: the clocks lost the last seconds (spent $spent s, $before before)"
assert_eq "integrity" ok "$(sql "pragma integrity_check")"

# Reopening shows it all.
start 100 30 "$FK" --db "$DB" meeting --week 2026-W49
wait_for "second note before SIGHUP"
wait_for "Page the on-call earlier"
type_line "/quit"
wait_for "[exited] 0"

finish
