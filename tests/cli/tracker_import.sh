#!/bin/sh
# furikaeri import github:acme/pay through the real binary against the fake
# tracker (tests/fake_tracker_server): no write lock is held across a page
# request or a rate limit's wait, so another process writes meanwhile; an
# issue that failed is asked for again until it imports or is reported gone.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/fk.db
CFG=$SCRATCH/config.ini
export GITHUB_TOKEN=ghp_cli_0123456789
server_pid=
stop_server() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	server_pid=
}
trap 'stop_server; rm -rf "$SCRATCH"' EXIT

serve "$SCRATCH/url" "$FK_BUILDDIR/tests/fake_tracker_server" || finish
server_pid=$served_pid
URL=$(cat "$SCRATCH/url")
printf '[github]\nurl = %s\n' "$URL" >"$CFG"

control() {
	"$FK_BUILDDIR/tests/fake_tracker_server" control "$URL" "$@"
}
enc() {
	jq -rn --arg v "$1" '$v | @uri'
}
# issue TITLE [FIELDS]: a postmortem kept as an issue, updated long ago
issue() {
	control issue "title=$(enc "$1")&body=$(enc "## Summary

$1 broke checkout.")&labels=postmortem,sev2&updated=2026-11-20T03:00:00Z${2:+&$2}" >/dev/null
}
requests() {
	control count "path=$(enc "$1")" | jq -r .count
}
# wait_for PATH: until the import has asked for PATH (up to 20 s)
wait_for() {
	i=0
	until [ "$(requests "$1")" -ge 1 ] || [ $i -ge 200 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
import() {
	run "$FK" --db "$DB" --config "$CFG" import github:acme/pay "$@"
}

LIST=/repos/acme/pay/issues?labels=postmortem\&state=all\&sort=updated\&direction=asc\&per_page=100

# One issue a page; the second page is answered after 5 s. While the import
# waits for it, `roster add` (which waits 2 s for a lock) writes.
issue "Payment timeouts"
issue "Search outage"
control page size=1 >/dev/null
control hold "path=$(enc "$LIST&page=2")&ms=5000" >/dev/null
"$FK" --db "$DB" --config "$CFG" import github:acme/pay >"$SCRATCH/import.out" \
	2>"$SCRATCH/import.err" &
importer=$!
wait_for "$LIST&page=2"
assert_eq "the import asked for page 2" 1 "$(requests "$LIST&page=2")"
run "$FK" --db "$DB" roster add Aoi
assert_eq "roster add during a page request: exit status" 0 "$rc"
assert_not_contains "roster add during a page request: not locked" "locked" "$errout"
wait "$importer" && irc=0 || irc=$?
assert_eq "the slow import: exit status" 0 "$irc"
assert_eq "the slow import: both issues" "added 2, updated 0, unchanged 0, failed 0" \
	"$(cat "$SCRATCH/import.out")"
run "$FK" --db "$DB" roster list
assert_contains "Aoi was added" "Aoi" "$out"

# A rate limit waited out inline (429, Retry-After: 4) on page 2 of a
# full listing: another writer gets in meanwhile.
issue "Login slow"
control hold "path=$(enc "$LIST&page=2")&status=429&retry_after=4" >/dev/null
before=$(requests "$LIST&page=2")
"$FK" --db "$DB" --config "$CFG" import github:acme/pay --full >"$SCRATCH/import.out" \
	2>"$SCRATCH/import.err" &
importer=$!
i=0
until [ "$(requests "$LIST&page=2")" -gt "$before" ] || [ $i -ge 200 ]; do
	sleep 0.1
	i=$((i + 1))
done
run "$FK" --db "$DB" roster add Ken
assert_eq "roster add during a rate limit's wait: exit status" 0 "$rc"
wait "$importer" && irc=0 || irc=$?
assert_eq "the rate-limited import: exit status" 0 "$irc"
assert_eq "the rate-limited import" "added 1, updated 0, unchanged 2, failed 0" \
	"$(cat "$SCRATCH/import.out")"
control page size=0 >/dev/null

# Two old issues the full listing brings, whose sub-issues answer 502:
# failed, and waiting.
issue "Queue backlog" subs=1
issue "Disk full" subs=1
control hold "path=$(enc /repos/acme/pay/issues/4/sub_issues)&status=502&retry_after=0&times=-1" \
	>/dev/null
control hold "path=$(enc /repos/acme/pay/issues/5/sub_issues)&status=502&retry_after=0&times=-1" \
	>/dev/null
import --full
assert_eq "502 on sub-issues: exit status" 1 "$rc"
assert_eq "502 on sub-issues: two failed" "added 0, updated 0, unchanged 3, failed 2" "$out"
assert_contains "the failure names the issue" "https://github.com/acme/pay/issues/4: its sub-issues could not be read" "$errout"
assert_contains "the summary says two wait" "failed 2, gone 0, waiting 2;" "$errout"

# The tracker recovers; the issues were updated long before the last import,
# so the listing since then does not show them: each is asked for by itself.
control hold "path=$(enc /repos/acme/pay/issues/4/sub_issues)&times=0" >/dev/null
control delete number=5 >/dev/null
import
assert_eq "the next import: exit status" 0 "$rc"
[ "$(requests "/repos/acme/pay/issues?state=all&since=")" -ge 1 ] ||
	fail "the next import did not ask for what changed since the last"
assert_eq "the waiting issue imports" "added 1, updated 0, unchanged 0, failed 0" "$out"
assert_contains "the deleted one is reported" "acme/pay#5: it failed to import earlier and is gone" "$errout"
assert_contains "nothing waits any more" "failed 0, gone 1, waiting 0;" "$errout"
run "$FK" --db "$DB" show acme/pay#4 --json
assert_eq "the issue that waited is a postmortem" "Queue backlog" "$(printf '%s' "$out" | jq -r .title)"
assert_eq "with its sub-issue as a measure" 1 "$(printf '%s' "$out" | jq '.measures | length')"

# Once settled, nothing is asked for by itself again.
before=$(requests /repos/acme/pay/issues/4)
import
assert_eq "settled: no request for the issue" "$before" "$(requests /repos/acme/pay/issues/4)"
assert_contains "settled: nothing waits" "waiting 0;" "$errout"

finish
