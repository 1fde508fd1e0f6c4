#!/bin/sh
# Tickets filed after the meeting (tickets push) for actions of a meeting
# held in the chat: each key goes into the item's thread, once; with the
# chat down, the key waits and the next meeting posts it; a key owed by a
# ticket filed without the chat is posted by the next push.
. "$FK_SRCDIR/tests/e2e/lib.sh"
. "$FK_SRCDIR/tests/e2e/chat_lib.sh"

# the meeting runs with the chat and no tracker: tickets wait in the outbox
sed -n '/^\[chat\]/,/^poll_seconds/p' "$SCRATCH/c.ini" >"$SCRATCH/chat-only.ini"
chmod 600 "$SCRATCH/chat-only.ini"

demo_in_chat "$SCRATCH/chat-only.ini"
type_line "/action 証明書の期限を監視する @Mei due:2026-12-18"
type_line "/action 更新手順を書く @Ken due:2026-12-20"
type_line "/ticket 1"
wait_for "[queued: no tracker]"
type_line "/quit"
wait_for "[exited] 0"

push() {
	run env "$TOKEN_ENV" GITHUB_TOKEN=ghp-test "$FK" --db "$DB" --config "$SCRATCH/c.ini" \
		tickets push
}

# The chat is up: the key goes into the thread at once.
push
assert_eq "push: exit status" 0 "$rc"
assert_contains "push: filed" "acme/pay#1" "$out"
assert_eq "one issue" 1 "$(issues)"
assert_eq "the key in the item's thread" "$ROOT" \
	"$(posts | grep -F "Ticket filed for action 1 " | grep -F "証明書の期限を監視する" | grep -F ": acme/pay#1 " | cut -f 2)"
push
assert_contains "nothing more to push" "nothing to push" "$errout"
assert_eq "the key posted once" 1 "$(count_posts "acme/pay#1 ")"

# The chat is down: the ticket is filed all the same, its key waits, and
# the next meeting posts it.
start 150 40 env "$TOKEN_ENV" "$FK" --db "$DB" --config "$SCRATCH/chat-only.ini" \
	meeting --week 2026-W49
wait_for "chat: connected" 15
type_line "/ticket 2"
wait_for "[queued: no tracker]"
type_line "/quit"
wait_for "[exited] 0"
control down on=1 >/dev/null
push
assert_eq "push while the chat is down: exit status" 0 "$rc"
assert_contains "push while the chat is down: filed" "acme/pay#2" "$out"
assert_contains "push says the key waits" "1 ticket key(s) wait to be posted to the chat" "$errout"
assert_eq "two issues" 2 "$(issues)"
control down on=0 >/dev/null
assert_eq "not posted while down" 0 "$(count_posts "acme/pay#2")"
start 150 40 env "$TOKEN_ENV" GITHUB_TOKEN=ghp-test "$FK" --db "$DB" --config "$SCRATCH/c.ini" \
	meeting --week 2026-W49
wait_for "chat: connected" 15
wait_posted "acme/pay#2"
assert_eq "the waiting key posted by the next meeting, in the thread" "$ROOT" \
	"$(posts | grep -F "Ticket filed for action 2 " | grep -F "更新手順を書く" | grep -F ": acme/pay#2 " | cut -f 2)"
type_line "/quit"
wait_for "[exited] 0"
assert_eq "each key once" "1 1" "$(count_posts "acme/pay#1 ") $(count_posts "acme/pay#2 ")"
assert_eq "still two issues" 2 "$(issues)"

# A ticket filed where the chat is not set up (a teammate's shell) owes
# its key to the thread: the next tickets push, with nothing to file,
# posts it, once.
sed '/^\[chat\]/,/^poll_seconds/d' "$SCRATCH/c.ini" >"$SCRATCH/tracker-only.ini"
chmod 600 "$SCRATCH/tracker-only.ini"
start 150 40 env "$TOKEN_ENV" "$FK" --db "$DB" --config "$SCRATCH/chat-only.ini" \
	meeting --week 2026-W49
wait_for "chat: connected" 15
type_line "/action 失効した証明書の一覧を残す @Aoi due:2026-12-21"
type_line "/ticket 3"
wait_for "[queued: no tracker]"
type_line "/quit"
wait_for "[exited] 0"
run env GITHUB_TOKEN=ghp-test "$FK" --db "$DB" --config "$SCRATCH/tracker-only.ini" \
	tickets push
assert_eq "push without the chat: exit status" 0 "$rc"
assert_contains "push without the chat: filed" "acme/pay#3" "$out"
assert_eq "no key post from a push without the chat" 0 "$(count_posts "acme/pay#3")"
push
assert_contains "then nothing to push" "nothing to push" "$errout"
assert_eq "the owed key posted by a push with nothing to file, in a thread" "1" \
	"$(posts | grep -F "Ticket filed for action 3 " | grep -F ": acme/pay#3" | cut -f 2 | grep -c .)"
push
assert_eq "the owed key posted once" 1 "$(count_posts "acme/pay#3")"
assert_eq "three issues" 3 "$(issues)"
finish
