#!/bin/sh
# kill -9 in the middle of a meeting: reopening resumes at the same item
# with every entry that was on the screen.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/crash.db
start 120 36 "$FK" --db "$DB" demo
wait_for "Before we start"
keys Enter
wait_for "Follow-ups (2 open)"
keys C-n
wait_for "決済障害"
type_line "最初のメモ"
type_line "/action Alert 30 days before a certificate expires @Mei due:2026-12-15"
type_line "/agree 1"
wait_for "agreed ✓"
keys C-n
wait_for "検索の障害"
type_line "二つ目のメモ: 検索インデックスの再構築"
wait_for "二つ目のメモ: 検索インデックスの再構築"

# the program itself, not the shell around it
pid=$(fk_pid)
[ -n "$pid" ] || fail "no furikaeri process to kill"
kill -9 "$pid"
wait_for "[exited] 137"

start 120 36 "$FK" --db "$DB" meeting --week 2026-W49
wait_for "facilitator Aoi (backup Ken)"
wait_for "検索の障害"
wait_for "二つ目のメモ: 検索インデックスの再構築"
keys C-p
wait_for "最初のメモ"
wait_for "agreed ✓"
type_line "/quit"
wait_for "[exited] 0"

assert_eq "entries after the crash" "最初のメモ
Alert 30 days before a certificate expires
二つ目のメモ: 検索インデックスの再構築" "$(sql "select body from minutes order by seq")"
assert_eq "one meeting" 1 "$(sql "select count(*) from meetings")"
assert_eq "integrity" ok "$(sql "pragma integrity_check")"

finish
