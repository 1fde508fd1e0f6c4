#!/bin/sh
# Linear through the real binary against the fake tracker's /graphql
# (tests/fake_tracker_server): doctor checks the key (viewer), the team and
# the labels, naming the one Linear lacks; new --tracker linear files the
# postmortem once and names its identifier; tickets sync reads its state
# back. (Every query is held to Linear's schema in tests/contract/linear.sh.)
. "$FK_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 is not installed (scripts/setup installs it)"; exit 77; }

DB=$SCRATCH/fk.db
CFG=$SCRATCH/config.ini
export LINEAR_API_KEY=lin_api_cli_0123456789
unset GITHUB_TOKEN GH_TOKEN JIRA_API_TOKEN
server_pid=
stop_server() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	server_pid=
}
trap stop_server EXIT
serve "$SCRATCH/url" "$FK_BUILDDIR/tests/fake_tracker_server" || finish
server_pid=$served_pid
URL=$(cat "$SCRATCH/url")

printf '[tracker]\ndefault = linear\n[linear]\nurl = %s/graphql\nteam = ENG\nlabels = prevention, no-such-label\n' \
	"$URL" >"$CFG"
run "$FK" --db "$DB" --config "$CFG" doctor
assert_contains "doctor: the key authenticates" "Linear: the token authenticates as furikaeri <bot@acme.example>" "$out$errout"
assert_contains "doctor: the missing label is named" '"no-such-label" do not exist in Linear for team ENG' "$out$errout"
assert_not_contains "doctor: an existing label is not named" '"prevention" do not' "$out$errout"
[ "$rc" -ne 0 ] || fail "doctor: a missing label fails the check (exit status $rc)"

printf '[tracker]\ndefault = linear\n[linear]\nurl = %s/graphql\nteam = ENG\nlabels = prevention\n' \
	"$URL" >"$CFG"
run "$FK" --db "$DB" --config "$CFG" doctor
assert_contains "doctor: the team and labels" "Linear: team ENG exists and has every label in [linear] labels" "$out$errout"

printf '[tracker]\ndefault = linear\n[linear]\nurl = %s/graphql\nteam = NOPE\n' "$URL" >"$SCRATCH/bad.ini"
run "$FK" --db "$DB" --config "$SCRATCH/bad.ini" doctor
assert_contains "doctor: an unknown team is named" "no team with the key NOPE" "$out$errout"

cd "$SCRATCH" || fail "cd"
FURIKAERI_TODAY=2026-12-01 run "$FK" --db "$DB" --config "$CFG" new --tracker linear --no-edit \
	--title 'Disk full on db-3' --severity sev2
assert_eq "new --tracker linear: exit status" 0 "$rc"
assert_contains "new --tracker linear: the identifier" "filed as ENG-" "$out"
assert_eq "new --tracker linear: one row, delivered to Linear" "postmortem linear delivered" \
	"$(sqlite3 -batch -noheader "$DB" "select group_concat(kind || ' ' || tracker || ' ' || state) from ticket_outbox")"

run "$FK" --db "$DB" --config "$CFG" tickets sync
assert_eq "tickets sync: exit status" 0 "$rc"
assert_contains "tickets sync: the state's name" "is Todo" "$out"

finish
