#!/bin/sh
# The meeting in the chat channel, end to end: the demo meeting on the
# screen with [chat] pointed at the fake chat and [tracker] at a fake
# GitHub (tests/e2e/chat_lib.sh), attendees replying in the item's thread
# through the fake's /_fake side door.
. "$FK_SRCDIR/tests/e2e/lib.sh"
. "$FK_SRCDIR/tests/e2e/chat_lib.sh"

start 150 40 env "$TOKEN_ENV" GITHUB_TOKEN=ghp-test FURIKAERI_LOG="$LOG" "$FK" --db "$DB" --config "$SCRATCH/c.ini" demo
wait_for "proposed Aoi (backup Ken)"
keys Enter
wait_for "facilitator Aoi (backup Ken)"
wait_for "chat: connected" 15

# The follow-ups get their own post; the first postmortem opens its thread.
keys C-n
wait_for "決済障害：カード決済が 48 分間すべて失敗した"
wait_root pm-2026-034
assert_eq "the follow-ups' own post" 1 "$(posts | awk -F '\t' '$2 == "null"' | grep -c "Follow-ups: ")"
assert_contains "the root: severity and date" "SEV1 · 2026-11-27" "$(posts | grep -F "$ROOT")"
assert_contains "the root: the postmortem's link" "https://git.example/acme/postmortems/blob/main/" "$(posts | grep -F "$ROOT")"

# A decision typed at the terminal is echoed into the thread, by kind.
type_line "/decide 証明書は自動で更新する"
wait_for "decision  証明書は自動で更新する"
wait_posted "証明書は自動で更新する"
assert_eq "the decision echoed into the thread" "$ROOT" \
	"$(posts | grep -F "証明書は自動で更新する" | cut -f 2)"

# Three attendees reply in the thread: in Japanese, an action with owner
# and due date, and one edited afterwards.
reply "$MEI" "質問：シークレットマネージャーの証明書は誰が見ていた？" >/dev/null
KEN_REF=$(reply "$KEN" "action: 証明書の自動更新ジョブを作る @Ken due:2026-12-20")
SATO_REF=$(reply "$SATO" "the canary only checks the status page")
wait_for "Mei: シークレットマネージャーの証明書は誰が見ていた？" 15
wait_for "Ken: 証明書の自動更新ジョブを作る" 15
wait_for "Sato: the canary only checks the status page" 15
assert_contains "Mei's reply is a question" "question  Mei: シークレット" "$(screen)"
assert_eq "whoever replies attends" "Ken Mei Sato" \
	"$(sql "select name from attendees order by name" | tr '\n' ' ' | sed 's/ $//')"
assert_contains "Ken's reply is an action with owner and due" \
	"action 1  Ken: 証明書の自動更新ジョブを作る  @Ken  due 2026-12-20  [proposed]" "$(screen)"
control edit "ref=$SATO_REF&text=$(urlenc "the canary only checks the public endpoint")" >/dev/null
wait_for "Sato: the canary only checks the public endpoint  (edited)" 20

# Slack's mrkdwn comes in as plain words: a mention as the person's name,
# escapes undone, a labelled link as label and address; a control sequence
# in a reply is shown harmless, never run by the terminal.
if [ "$SERVICE" = slack ]; then
	reply "$MEI" "ask <@$KEN> about &lt;pager&gt; &amp; <https://status.example/i/42|the incident> $(printf '\033')[2J<#C0CHAN|ops>" >/dev/null
	wait_for "Mei: ask @Ken about <pager> & the incident (https://status.example/i/42)" 15
	assert_contains "the link's address kept" "(https://status.example/i/42) " "$(screen | grep -F "ask @Ken")"
	assert_contains "the channel mention by name" "#ops" "$(screen | grep -F "ask @Ken")"
	assert_contains "the screen not cleared by the reply" "facilitator Aoi (backup Ken)" "$(screen)"
fi

# People are chat accounts: a second account whose display name is "Aoi"
# agrees nothing. Before any account is on the roster, the screen says why.
control user "user=$EVE&text=Aoi" >/dev/null
control react "ref=$KEN_REF&emoji=white_check_mark&user=$EVE" >/dev/null
wait_for "has no chat id on the roster" 20
assert_contains "the other Aoi's reaction agrees nothing" "[proposed]" "$(screen)"
run "$FK" --db "$DB" roster set Aoi --chat "$AOI"
assert_eq "roster set --chat" "0 Aoi is chat account $AOI" "$rc $out"
run "$FK" --db "$DB" roster set Ken --chat "$KEN"
run "$FK" --db "$DB" roster set Mei --chat "$AOI"
assert_contains "one account is one person" "already Aoi's" "$rc $errout"
# Someone else's reaction agrees nothing, nor does the other Aoi's ticket
# reaction file anything; the facilitator's account agrees, after she
# renamed herself in the chat.
control react "ref=$KEN_REF&emoji=white_check_mark&user=$MEI" >/dev/null
control react "ref=$KEN_REF&emoji=ticket&user=$EVE" >/dev/null
sleep $((8 * FK_SLOW))
assert_contains "Mei's and the other Aoi's reactions agree nothing" "[proposed]" "$(screen)"
assert_eq "the other Aoi's ticket reaction files nothing" 0 "$(issues)"
assert_eq "nothing agreed in the store" 0 "$(sql "select count(*) from measures where title like '証明書の自動更新%' and agreed_at is not null")"
control user "user=$AOI&text=Aoi Tanaka" >/dev/null
control react "ref=$KEN_REF&emoji=white_check_mark&user=$AOI" >/dev/null
wait_for "agreed ✓" 20
assert_eq "agreed in the store" 1 "$(sql "select count(*) from measures where title like '証明書の自動更新%' and agreed_at is not null")"

# The ticket reaction: someone else's files nothing; the facilitator's
# files the action, and its key goes back into the thread.
control react "ref=$KEN_REF&emoji=ticket&user=$MEI" >/dev/null
sleep $((6 * FK_SLOW))
assert_eq "Mei's ticket reaction files nothing" 0 "$(issues)"
control react "ref=$KEN_REF&emoji=ticket&user=$AOI" >/dev/null
wait_for "ticket filed: acme/pay#1" 20
wait_posted "acme/pay#1"
assert_eq "the key posted back into the item's thread" "$ROOT" \
	"$(posts | grep -F "Ticket filed for action 1" | grep -F "acme/pay#1 https://github.com/acme/pay/issues/1" | cut -f 2)"
assert_eq "one issue at the tracker" 1 "$(issues)"
assert_contains "the action shows its ticket" "acme/pay#1" "$(screen)"

# A file shared alone in the thread (a screenshot of the dashboard) comes
# in as its name and link.
reply_file "$MEI" p99-latency.png
wait_for "Mei: p99-latency.png (http" 15
if [ "$SERVICE" = slack ]; then
	file_link="https://acme.slack.com/files/$MEI/"
else
	file_link="${URL}api/v4/files/file0000000000000000000000"
fi
assert_contains "the file's link kept" "p99-latency.png ($file_link" \
	"$(sql "select body from minutes where body like 'p99-latency.png%'")"

# A reply deleted in the chat is struck out in the minutes.
MEI_REF=$(reply "$MEI" "I think the alert went to an old pager")
wait_for "Mei: I think the alert went to an old pager" 15
control delete "ref=$MEI_REF" >/dev/null
# struck out: U+0336 after every character but spaces
wait_for "deleted   Mei: $(printf '%s' "I think the alert" | sed 's/[^ ]/&\xcc\xb6/g')" 20

# Requests while polling one open thread, over ten quiet seconds.
before=$(grep -c "^.*> GET\|^.*> POST" "$LOG")
sleep 10
after=$(grep -c "^.*> GET\|^.*> POST" "$LOG")
echo "requests while polling at poll_seconds = 1: $(( (after - before) * 6 )) a minute"

# The chat goes down: entries are recorded at once all the same, and the
# posts go out once each when it is back.
control down on=1 >/dev/null
type_line "/decide 期限の一覧を毎週見る"
wait_for "decision  期限の一覧を毎週見る"
wait_for "chat: unreachable" 20
type_line "/action 証明書の期限を 30 日前に警告する @Mei due:2026-12-18"
wait_for "action 2  証明書の期限を 30 日前に警告する"
control down on=0 >/dev/null
wait_for "chat: connected" 30
# a post stored whose answer is lost: looked for, never posted twice
control fault name=drop-stored >/dev/null
type_line "/decide 代行の API で自動更新する"
wait_for "decision  代行の API で自動更新する"
sleep $((12 * FK_SLOW))
assert_eq "the decision typed while down, posted once" 1 "$(count_posts "期限の一覧を毎週見る")"
assert_eq "the action typed while down, posted once" 1 "$(count_posts "証明書の期限を 30 日前に警告する")"
assert_eq "the post whose answer was dropped, once" 1 "$(count_posts "代行の API で自動更新する")"
assert_eq "no marker twice at the fake" "" "$(posts | cut -f 3 | sort | uniq -d)"
assert_eq "every entry kept" 3 "$(sql "select count(*) from minutes where body in ('期限の一覧を毎週見る', '証明書の期限を 30 日前に警告する', '代行の API で自動更新する')")"

# kill -9 mid-meeting, a reply arriving while it is gone, and reopen:
# nothing pulled twice.
kill -9 "$(fk_pid)"
wait_for "[exited]"
reply "$MEI" "link: https://github.com/acme/pay/pull/900 自動更新の PR" >/dev/null
start 150 40 env "$TOKEN_ENV" GITHUB_TOKEN=ghp-test FURIKAERI_LOG="$LOG" "$FK" --db "$DB" --config "$SCRATCH/c.ini" \
	meeting --week 2026-W49
wait_for "決済障害：カード決済が 48 分間すべて失敗した"
wait_for "Mei: https://github.com/acme/pay/pull/900" 20
sleep $((10 * FK_SLOW))
assert_eq "Mei's question pulled once" 1 "$(sql "select count(*) from minutes where body like 'シークレットマネージャーの証明書%'")"
assert_eq "Ken's action pulled once" 1 "$(sql "select count(*) from minutes where body like '証明書の自動更新ジョブ%'")"
assert_eq "Sato's note pulled once" 1 "$(sql "select count(*) from minutes where author = 'Sato'")"
assert_eq "the link pulled once" 1 "$(sql "select count(*) from minutes where kind = 'link' and author = 'Mei'")"
assert_eq "no marker twice after the restart" "" "$(posts | cut -f 3 | sort | uniq -d)"
assert_eq "no ticket twice after the restart" 1 "$(issues)"
assert_eq "the key posted once" 1 "$(count_posts "acme/pay#1 ")"
assert_eq "the thread root once" 1 "$(posts | awk -F '\t' '$2 == "null"' | grep -c "pm-2026-034")"

# /as records for someone; the wrap-up goes to the channel at the end.
type_line "/as Sato /q 夜間に発行できる人は？"
wait_for "Sato: 夜間に発行できる人は？"
type_line "/go 10"
wait_for "Carried over to next week"
keys C-n
wait_for "End the meeting"
answer y
wait_for "the meeting is over"
i=0
while [ "$(posts | awk -F '\t' '$2 == "null"' | grep -c "Wrap-up 2026-W49")" -lt 1 ] &&
	[ "$i" -lt $((150 * FK_SLOW)) ]; do
	sleep 0.1
	i=$((i + 1))
done
assert_contains "the wrap-up posted: agreed measures" "証明書の自動更新ジョブを作る" \
	"$(posts | grep -F "Wrap-up 2026-W49")"
assert_contains "the wrap-up: the measure's ticket and its link" \
	"acme/pay#1 https://github.com/acme/pay/issues/1" "$(posts | grep -F "Wrap-up 2026-W49")"
type_line "/quit"
wait_for "[exited]"

# The exported minutes name who said what, with their kinds.
run "$FK" --db "$DB" export --week 2026-W49 --format md
assert_contains "md: Mei's question" "**question** *Mei:* シークレットマネージャーの証明書は誰が見ていた？" "$out"
assert_contains "md: Ken's action" "*Ken:* 証明書の自動更新ジョブを作る" "$out"
assert_contains "md: Sato's edited note" "**note** *Sato:* the canary only checks the public endpoint *(edited" "$out"
assert_contains "md: the facilitator's decision" "**decision** *Aoi:* 証明書は自動で更新する" "$out"
assert_contains "md: /as" "**question** *Sato:* 夜間に発行できる人は？" "$out"
assert_contains "md: the deleted reply struck out" "~~**note** *Mei:* I think the alert went to an old pager~~ *(deleted" "$out"
assert_contains "md: the ticket, linked" "[acme/pay\\#1](<https://github.com/acme/pay/issues/1>)" "$out"
run "$FK" --db "$DB" export --week 2026-W49 --format json
assert_contains "json: version 2" '"format_version": 2' "$out"
json=$(printf '%s' "$out" | tr -d '\n' | sed 's/}, *{/}\n{/g')
printf '%s\n' "$json" | grep -F 'シークレットマネージャーの証明書は誰が見ていた？' |
	grep '"kind": "question"' | grep -q '"author": "Mei"' ||
	fail "json: Mei's question has no kind question or no author Mei"
printf '%s\n' "$json" | grep -F '証明書の自動更新ジョブを作る' | grep -q '"author": "Ken"' ||
	fail "json: Ken's action has no author Ken"
printf '%s\n' "$json" | grep -F 'public endpoint' | grep '"author": "Sato"' | grep -q '"edited_at": "2' ||
	fail "json: Sato's note is not edited or has no author"
finish
