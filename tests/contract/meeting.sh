#!/bin/sh
# A measure agreed in the demo meeting becomes a GitHub issue, and in a
# second meeting a Jira issue, with one key (/ticket N), on Prism servers
# that validate every request against the vendors' API descriptions.
. "$FK_SRCDIR/tests/e2e/lib.sh"
. "$FK_SRCDIR/tests/contract/prism.sh"

stop_all() {
	kill "$prism_pid" 2>/dev/null
	wait "$prism_pid" 2>/dev/null
	for s in $(seq 0 $starts); do tmux -L "$TMUX_BASE-$s" kill-server 2>/dev/null; done
	rm -rf "$SCRATCH"
}

export GITHUB_TOKEN=contract-test-token JIRA_API_TOKEN=contract-test-token
DB=$SCRATCH/contract.db

# meeting_files TRACKER KEY: files action 1 of a fresh item in the meeting
meeting_files() {
	start 120 36 "$FK" --db "$DB" --config "$SCRATCH/$1.ini" demo
	wait_for "Follow-ups" 20
	keys Enter
	keys C-n
	wait_for "Ask"
	type_line "/action Alert 30 days before a certificate expires @Mei due:2026-12-15"
	type_line "/ticket 1"
	wait_for "[filed $2]" 60
	# the meeting says so as it happens: key, link and the action's title
	wait_for "ticket filed: $2 http" 10
	wait_for "for action 1 \"Alert 30 days" 10
	type_line "/quit"
	wait_for "[exited] 0"
}

prism_start github "$specs/github-api.json" --errors || exit 99
trap stop_all EXIT
cat >"$SCRATCH/github.ini" <<INI
[tracker]
default = github
[github]
url = http://127.0.0.1:$port
repo = acme/pay
labels = postmortem, prevention
[people]
Mei = github:mei-acme
INI
meeting_files github "acme/pay#1347"
assert_eq "github outbox" "github|delivered|acme/pay#1347" \
	"$(sql "select tracker || '|' || state || '|' || ticket_key from ticket_outbox")"
kill "$prism_pid"
wait "$prism_pid" 2>/dev/null

# The same meeting week again, now filing with Jira Cloud: the next action.
sql "update meetings set week = '2026-W48'" >/dev/null
prism_start jira "$specs/jira-platform.v3.json" || exit 99
trap stop_all EXIT
cat >"$SCRATCH/jira.ini" <<INI
[tracker]
default = jira
[jira]
url = http://127.0.0.1:$port
api = 3
project = OPS
issuetype = Task
email = bot@acme.test
labels = postmortem
[people]
Mei = jira:5b10a2844c20165700ede21g
INI
meeting_files jira "ED-24"
assert_eq "jira outbox" "github|delivered|acme/pay#1347
jira|delivered|ED-24" "$(sql "select tracker || '|' || state || '|' || ticket_key from ticket_outbox order by id")"

finish
