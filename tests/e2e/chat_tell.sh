#!/bin/sh
# People get told, end to end (issue 22): the meeting opens with one post
# (the agenda, the facilitator, the threads to come); a reaction by someone
# who may not agree gets exactly one reply only they see, naming who can;
# the wrap-up mentions the owner and next week's facilitator, lists what
# was not discussed and links [minutes] url, never a local path; an item
# not discussed is on next week's agenda, and /drop leaves one out.
# tests/e2e/chat_tell_mattermost.sh runs it through Mattermost's shape.
. "$FK_SRCDIR/tests/e2e/lib.sh"
. "$FK_SRCDIR/tests/e2e/chat_lib.sh"

MINUTES_URL=https://git.example/acme/postmortems/tree/main/minutes
cp "$SCRATCH/c.ini" "$SCRATCH/tell.ini"
printf '[minutes]\nurl = %s\n' "$MINUTES_URL" >>"$SCRATCH/tell.ini"

# The demo week and team, loaded without a terminal; the team's chat
# accounts found by e-mail (Mattermost's usernames with them).
"$FK" --db "$DB" demo </dev/null >/dev/null 2>&1 || fail "the demo week did not load"
for p in Aoi Ken Mei; do
	"$FK" --db "$DB" roster set "$p" --email "$(printf '%s' "$p" | tr 'A-Z' 'a-z')@acme.example" >/dev/null ||
		fail "roster set $p --email"
done
# (1: the rest of the demo team has no e-mail to find them by)
run env "$TOKEN_ENV" "$FK" --db "$DB" --config "$SCRATCH/tell.ini" roster sync
assert_contains "roster sync found Mei" "Mei: chat id $MEI (found by mei@acme.example)" "$out"
if [ "$SERVICE" = slack ]; then
	AOI_AT="<@$AOI>" KEN_AT="<@$KEN>" MEI_AT="<@$MEI>"
else
	AOI_AT="@aoi" KEN_AT="@ken" MEI_AT="@mei"
fi

demo_in_chat "$SCRATCH/tell.ini"

# One opening post in the channel, before the threads.
assert_eq "one opening post" 1 "$(count_posts "starts now")"
opening=$(posts | grep -F "starts now")
assert_eq "the opening is in the channel, not a thread" null "$(printf '%s' "$opening" | cut -f 2)"
assert_contains "the opening names the facilitator" "facilitated by $AOI_AT (backup $KEN_AT)" "$opening"
assert_contains "the opening: the agenda with budgets" "Agenda (60 min):" "$opening"
assert_contains "the opening: an item and its budget" "Payment API timeouts after deploy · 8 min" "$opening"
assert_contains "the opening: the threads to come" "Each item gets its own thread here" "$opening"
first=$(posts | head -n 1 | cut -f 1)
assert_eq "the opening comes first" "$(printf '%s' "$opening" | cut -f 1)" "$first"

# Mei may not agree: her reaction agrees nothing, and she alone is told
# who can, once, in the thread.
KEN_REF=$(reply "$KEN" "action: alert 30 days before a certificate expires @Mei due:2026-12-20")
wait_for "Ken: alert 30 days before a certificate expires" 15
control react "ref=$KEN_REF&emoji=white_check_mark&user=$MEI" >/dev/null
i=0
while ! control ephemerals | grep -q '"user"' && [ "$i" -lt $((200 * FK_SLOW)) ]; do
	sleep 0.1
	i=$((i + 1))
done
eph=$(control ephemerals | tr -d '\n')
assert_eq "one ephemeral reply" 1 "$(printf '%s' "$eph" | grep -o '"user"' | wc -l)"
assert_contains "to Mei" "\"user\":\"$MEI\"" "$eph"
assert_contains "in the item's thread" "\"thread\":\"$ROOT\"" "$eph"
assert_contains "naming who can agree" "Only the facilitator (Aoi) or the backup (Ken) can agree" \
	"$(printf '%s' "$eph" | sed 's/\\\\//g')"
assert_eq "not in the channel" 0 "$(count_posts "Only the facilitator")"
assert_contains "Mei's reaction agreed nothing" "[proposed]" "$(screen)"
# the same kind on another action of the item: not told twice
KEN_REF2=$(reply "$KEN" "action: list every certificate in one place @Mei")
wait_for "Ken: list every certificate in one place" 15
control react "ref=$KEN_REF2&emoji=white_check_mark&user=$MEI" >/dev/null
sleep $((6 * FK_SLOW))
assert_eq "still one ephemeral reply" 1 "$(control ephemerals | tr -d '\n' | grep -o '"user"' | wc -l)"
assert_eq "recorded once in the store" 1 "$(sql "select count(*) from chat_posts where kind = 'ephemeral'")"

# The facilitator agrees the first action.
control react "ref=$KEN_REF&emoji=white_check_mark&user=$AOI" >/dev/null
wait_for "agreed ✓" 20

# Item 3 opened with nothing said, item 9 dropped on purpose, the rest never
# opened: at the end, all but the dropped one go to next week.
keys C-n
wait_for "検索の障害：商品検索が 47 分間ゼロ件を返した"
type_line "/drop 9"
wait_for "item 9 is left out of next week's agenda"
type_line "/drop 2"
wait_for "it was discussed"
type_line "/go 10"
keys C-n
wait_for "End the meeting"
answer y
wait_for "the meeting is over"
i=0
while [ "$(count_posts "Wrap-up 2026-W49")" -lt 1 ] && [ "$i" -lt $((150 * FK_SLOW)) ]; do
	sleep 0.1
	i=$((i + 1))
done
wrapup=$(posts | grep -F "Wrap-up 2026-W49")
assert_contains "the wrap-up: the owner mentioned" \
	"alert 30 days before a certificate expires owner $MEI_AT due 2026-12-20" "$wrapup"
assert_contains "the wrap-up: what was not discussed" "Not discussed, carried to next week:" "$wrapup"
assert_contains "the wrap-up: an item never opened" "Payment API timeouts after deploy" "$wrapup"
assert_contains "the wrap-up: an item opened with nothing said" "検索の障害" "$wrapup"
case $wrapup in
*"Near miss"*) fail "the dropped item is listed as carried: $wrapup" ;;
esac
assert_contains "the wrap-up: next week's facilitator mentioned" "Next week: " "$wrapup"
assert_contains "the wrap-up: the link to the minutes" "Minutes: $MINUTES_URL/2026-W49.md" "$wrapup"
case $wrapup in
*"Minutes: /"* | *"$SCRATCH"*) fail "the wrap-up names a local path: $wrapup" ;;
esac
type_line "/quit"
wait_for "[exited]"

# Next week's agenda has what was not discussed, not what was dropped or
# discussed.
run "$FK" --db "$DB" agenda --week 2026-W50
assert_contains "carried: never opened" "Payment API timeouts after deploy" "$out"
assert_contains "carried: opened, nothing said" "検索の障害：商品検索が 47 分間ゼロ件を返した" "$out"
case $out in
*"Near miss"*) fail "the dropped item is on next week's agenda: $out" ;;
esac
case $out in
*"決済障害"*) fail "the discussed item is on next week's agenda: $out" ;;
esac
finish
