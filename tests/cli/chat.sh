#!/bin/sh
# furikaeri doctor's chat checks through the real binary against the fake
# Slack and Mattermost (tests/fake_chat_server): the token, the scopes,
# the channel and the bot's membership, each failure saying what to do,
# and the token never shown.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/fk.db
server_pid=
stop_server() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	server_pid=
}
trap 'stop_server; rm -rf "$SCRATCH"' EXIT

# start_server SERVICE: sets $URL
start_server() {
	serve "$SCRATCH/url" "$FK_BUILDDIR/tests/fake_chat_server" "$1"
	server_pid=$served_pid
	URL=$(cat "$SCRATCH/url")
}

control() {
	"$FK_BUILDDIR/tests/fake_chat_server" control "$URL" "$@" >/dev/null
}

write_config() {
	printf '[chat]\nservice = %s\nchannel = #postmortems\nurl = %s\n' "$1" "$URL" \
		>"$SCRATCH/c.ini"
	chmod 600 "$SCRATCH/c.ini"
}

start_server slack
write_config slack
SLACK_BOT_TOKEN=xoxb-test-secret-1 FURIKAERI_LOG=$SCRATCH/fk.log \
	run "$FK" --db "$DB" --config "$SCRATCH/c.ini" doctor
assert_contains "the log has the requests" "auth.test" "$(cat "$SCRATCH/fk.log")"
assert_not_contains "the token is not in the log" "xoxb-test-secret-1" "$(cat "$SCRATCH/fk.log")"
SLACK_BOT_TOKEN=xoxb-test run "$FK" --db "$DB" --config "$SCRATCH/c.ini" doctor
# (no tracker is configured here, so doctor's exit status is 5 anyway)
assert_not_contains "slack doctor passes" "FAIL Slack" "$out"
assert_contains "slack auth" "Slack: the token authenticates as furikaeri" "$out"
assert_contains "slack scopes" "the app has every scope the meeting uses" "$out"
assert_contains "slack channel" "channel #postmortems (C0PM) found, and the bot is in it" "$out"
assert_contains "slack polling" "ok   Slack: the threads are read 12 times a minute at worst (one read a poll, poll_seconds = 5, whatever the number of items), within the 50 of Slack's Tier 3" "$out"
printf 'poll_seconds = 1\n' >>"$SCRATCH/c.ini"
SLACK_BOT_TOKEN=xoxb-test run "$FK" --db "$DB" --config "$SCRATCH/c.ini" doctor
assert_contains "slack polling above Tier 3" "warn Slack: poll_seconds = 1 reads the threads 60 times a minute at worst, above the 50 of Slack's Tier 3" "$out"
write_config slack

control member on=0
SLACK_BOT_TOKEN=xoxb-test run "$FK" --db "$DB" --config "$SCRATCH/c.ini" doctor
assert_contains "not in channel: a failure" "FAIL Slack: the bot is not in #postmortems" "$out"
assert_contains "not in channel: what to do" "invite it there" "$out"
control member on=1

SLACK_BOT_TOKEN=xoxb-revoked-secret run "$FK" --db "$DB" --config "$SCRATCH/c.ini" doctor
assert_eq "bad token: exit 5" 5 "$rc"
assert_contains "bad token: what to do" "set SLACK_BOT_TOKEN or [chat] token_file" "$out"
assert_not_contains "bad token never shown" "xoxb-revoked-secret" "$out$errout"

run env -u SLACK_BOT_TOKEN "$FK" --db "$DB" --config "$SCRATCH/c.ini" doctor
assert_eq "no token: exit 5" 5 "$rc"
assert_contains "no token: what to do" "no Slack bot token: set SLACK_BOT_TOKEN" "$out"
stop_server

start_server mattermost
write_config mattermost
MATTERMOST_TOKEN=mm-test run "$FK" --db "$DB" --config "$SCRATCH/c.ini" doctor
assert_not_contains "mattermost doctor passes" "FAIL Mattermost" "$out"
assert_contains "mattermost auth" "Mattermost: the token authenticates as furikaeri" "$out"
assert_contains "mattermost channel" "channel #postmortems (pm000000000000000000000000) found" "$out"
control member on=0
MATTERMOST_TOKEN=mm-test run "$FK" --db "$DB" --config "$SCRATCH/c.ini" doctor
assert_eq "mattermost not in channel: exit 5" 5 "$rc"
assert_contains "mattermost: what to do" "the bot is not in #postmortems: add it there" "$out"
stop_server

finish
