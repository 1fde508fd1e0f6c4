#!/bin/sh
# A channel full of people, end to end (issue 22): four people with their
# own chat ids reply; one renames herself to the facilitator's name and her
# reaction agrees nothing (she alone is told who can); a reply to an item
# the meeting has left reaches that item's minutes; a reply the next day
# comes in with furikaeri chat pull, and the minutes written at wrap-up are
# written again with it, marked late. The channel as the fake stored it
# is kept in $FK_TRANSCRIPT when that is set.
# tests/e2e/chat_people_mattermost.sh runs it through Mattermost's shape.
. "$FK_SRCDIR/tests/e2e/lib.sh"
. "$FK_SRCDIR/tests/e2e/chat_lib.sh"

# the chat's clock is today's, as a real one is
control epoch "text=$(date +%s)" >/dev/null
cp "$SCRATCH/c.ini" "$SCRATCH/people.ini"
printf '[minutes]\nfolder = %s/minutes\n' "$SCRATCH" >>"$SCRATCH/people.ini"

"$FK" --db "$DB" demo </dev/null >/dev/null 2>&1 || fail "the demo week did not load"
for p in Aoi Ken Mei; do
	"$FK" --db "$DB" roster set "$p" --email "$(printf '%s' "$p" | tr 'A-Z' 'a-z')@acme.example" >/dev/null ||
		fail "roster set $p --email"
done
run env "$TOKEN_ENV" "$FK" --db "$DB" --config "$SCRATCH/people.ini" roster sync
assert_contains "roster sync found Aoi" "Aoi: chat id $AOI" "$out"

demo_in_chat "$SCRATCH/people.ini"
ROOT1=$ROOT

# Four people, four ids: each reply is an entry with its author's name.
reply "$AOI" "the retry budget was never tested under load" >/dev/null
reply "$KEN" "question: who owns the payment timeouts dashboard?" >/dev/null
MEI_REF=$(reply "$MEI" "action: add jitter to the client retries @Ken due:2026-12-18")
reply "$SATO" "support saw 212 tickets in the first hour" >/dev/null
wait_for "Sato: support saw 212 tickets in the first hour" 15
wait_for "Mei: add jitter to the client retries" 15
assert_eq "four people's ids" 4 "$(sql "select count(distinct user_ref) from chat_replies")"

# Sato renames herself "Aoi" (the facilitator's name): her reaction agrees
# nothing, and she alone is told who can, once.
control user "user=$SATO&text=Aoi" >/dev/null
control react "ref=$MEI_REF&emoji=white_check_mark&user=$SATO" >/dev/null
i=0
while ! control ephemerals | grep -q "\"$SATO\"" && [ "$i" -lt $((200 * FK_SLOW)) ]; do
	sleep 0.1
	i=$((i + 1))
done
assert_contains "the renamed one is told, by her id" "\"user\":\"$SATO\"" \
	"$(control ephemerals | tr -d '\n')"
assert_contains "her reaction agreed nothing" "[proposed]" "$(screen)"

# The meeting moves on; Ken answers in item 1's thread: the reply is read
# (the threads are read in turn) into item 1's minutes.
keys C-n
wait_for "検索の障害：商品検索が 47 分間ゼロ件を返した"
wait_root 2026-11-23-search-outage
reply_in() {
	control reply "root=$1&user=$2&text=$(urlenc "$3")" >/dev/null
}
reply_in "$ROOT1" "$KEN" "the dashboard is owned by payments-sre"
i=0
while [ "$(sql "select count(*) from minutes where body = 'the dashboard is owned by payments-sre'")" -lt 1 ] &&
	[ "$i" -lt $((200 * FK_SLOW)) ]; do
	sleep 0.1
	i=$((i + 1))
done
assert_eq "the reply to the item left is in that item's minutes" \
	"$(sql "select item_id from minutes where body = 'support saw 212 tickets in the first hour'")" \
	"$(sql "select item_id from minutes where body = 'the dashboard is owned by payments-sre'")"

# The end.
type_line "/go 10"
keys C-n
wait_for "End the meeting"
answer y
wait_for "The meeting has ended"
type_line "/quit"
wait_for "[exited]"

# The next day, from another time zone: Mei answers item 1. chat pull
# reads it into item 1's minutes and writes them again, marked late.
control epoch "text=$(($(date +%s) + 86400))" >/dev/null
reply_in "$ROOT1" "$MEI" "jitter shipped in client 5.19"
run env "$TOKEN_ENV" "$FK" --db "$DB" --config "$SCRATCH/people.ini" chat pull --week 2026-W49
assert_eq "chat pull exits 0" 0 "$rc"
assert_contains "chat pull counts it" "1 new reply" "$out"
assert_contains "chat pull writes the minutes again" "minutes written to $SCRATCH/minutes/2026-W49" "$out"
assert_eq "in item 1's minutes" \
	"$(sql "select item_id from minutes where body = 'support saw 212 tickets in the first hour'")" \
	"$(sql "select item_id from minutes where body = 'jitter shipped in client 5.19'")"
assert_contains "the minutes say it came late" "jitter shipped in client 5.19 *(late, after the meeting" \
	"$(cat "$SCRATCH/minutes/2026-W49.md")"
run env "$TOKEN_ENV" "$FK" --db "$DB" --config "$SCRATCH/people.ini" chat pull --week 2026-W49
assert_contains "pulled once" "0 new replies" "$out"
assert_eq "one entry" 1 "$(sql "select count(*) from minutes where body = 'jitter shipped in client 5.19'")"

# The channel as the fake stored it.
channel=$("$FK_BUILDDIR/tests/fake_chat_server" control "$URL" channel)
assert_contains "the channel: Sato's reply under item 1" "support saw 212 tickets in the first hour" "$channel"
assert_contains "the channel: the wrap-up" "Wrap" "$channel"
if [ -n "${FK_TRANSCRIPT:-}" ]; then
	printf '%s\n' "$channel" >"$FK_TRANSCRIPT"
	cp "$SCRATCH/minutes/2026-W49.md" "$FK_TRANSCRIPT.minutes.md"
fi
finish
