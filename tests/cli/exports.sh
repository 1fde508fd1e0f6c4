#!/bin/sh
# Exports as furikaeri(5) promises (issue 21): the JSON is lossless, the
# Markdown makes every string safe (links too), the Slack wrap-up has the
# entries of no agenda item, and export --post finds the webhook where
# agenda --post does.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/fk.db
export FURIKAERI_TODAY=2026-12-03
unset FURIKAERI_WEBHOOK_URL

# The week's minutes, plus entries holding CR, LF, tabs, backslash
# escapes, a terminal escape and U+0085 (NEL), a link whose URL carries
# ESC ] 0 ;, and a note of no agenda item.
jq '.entries += [
	{seq: 20, item: 1, kind: "note", text: "line one\r\nline two\n\tindented \\n not a newline \u001b[31mred\u001b[0m next\u0085line \u0007bell",
	 author: "Ao\u001b[1mi", created_at: "2026-12-01T10:30:00Z", edited_at: null, deleted_at: null, measure: null},
	{seq: 21, item: 1, kind: "link", text: "https://evil.example/\u001b]0;pwned\u0007x",
	 author: null, created_at: "2026-12-01T10:31:00Z", edited_at: null, deleted_at: null, measure: null},
	{seq: 22, item: 1, kind: "link", text: "https://example.com/runbook",
	 author: null, created_at: "2026-12-01T10:32:00Z", edited_at: null, deleted_at: null, measure: null},
	{seq: 23, item: null, kind: "note", text: "Loose: the pager rota changes next week",
	 author: "Ken", created_at: "2026-12-01T10:57:00Z", edited_at: null, deleted_at: null, measure: null}]' \
	"$FIXTURES/minutes/2026-W49.json" >"$SCRATCH/in.json"
run "$FK" --db "$DB" import "$SCRATCH/in.json"
assert_eq "import the minutes" "added 1, updated 0, unchanged 0, failed 0" "$out"

# JSON: every string comes back as it went in, and export, import, export
# gives the same bytes.
run "$FK" --db "$DB" export --week 2026-W49 --format json -o "$SCRATCH/out.json"
assert_eq "export json" 0 "$rc"
assert_eq "the JSON round trip is lossless" "$(jq -S . "$SCRATCH/in.json")" "$(jq -S . "$SCRATCH/out.json")"
assert_eq "CR, LF, tab, backslash, ESC and NEL kept" \
	"$(jq -r '.entries[] | select(.seq == 20) | .text' "$SCRATCH/in.json" | od -An -c)" \
	"$(jq -r '.entries[] | select(.seq == 20) | .text' "$SCRATCH/out.json" | od -An -c)"
run "$FK" --db "$SCRATCH/again.db" import "$SCRATCH/out.json"
run "$FK" --db "$SCRATCH/again.db" export --week 2026-W49 --format json -o "$SCRATCH/again.json"
cmp -s "$SCRATCH/out.json" "$SCRATCH/again.json" || fail "export, import, export changed the bytes"
esc=$(printf '\033')
bel=$(printf '\007')
nel=$(printf '\302\205')
case "$(cat "$SCRATCH/out.json")" in
*"$esc"* | *"$bel"*) fail "the JSON holds a raw control character (jansson escapes them)" ;;
esac

# Markdown: no control character of the text, the link's included.
run "$FK" --db "$DB" export --week 2026-W49 --format md
assert_eq "export md" 0 "$rc"
case "$out" in
*"$esc"* | *"$bel"* | *"$nel"*) fail "the Markdown holds a control character: $(printf '%s' "$out" | grep -n "$esc\|$bel\|$nel" | cat -v)" ;;
esac
assert_contains "a clean link stays a link" "<https://example.com/runbook>" "$out"
assert_not_contains "a URL with an escape is no link" "<https://evil.example/" "$out"
assert_contains "its text is still there" "evil.example/" "$out"
assert_contains "md: the loose note under Other minutes" "Loose: the pager rota changes next week" "$out"

# Slack: the loose entries too, as the Markdown has them.
run "$FK" --db "$DB" export --week 2026-W49 --format slack
assert_eq "export slack" 0 "$rc"
assert_contains "slack: Other minutes" "*Other minutes*" "$out"
assert_contains "slack: the loose note" "Loose: the pager rota changes next week" "$out"
case "$out" in
*"$esc"* | *"$bel"* | *"$nel"*) fail "the Slack text holds a control character" ;;
esac

# export --post reads FURIKAERI_WEBHOOK_URL and webhook_url_file, as
# agenda --post does: nothing listens on port 9, so the post is tried and
# fails (5), where a webhook not found would be a configuration error (4).
printf '[minutes]\n' >"$SCRATCH/none.ini"
run env FURIKAERI_WEBHOOK_URL=http://127.0.0.1:9/hook/SECRET "$FK" --db "$DB" \
	--config "$SCRATCH/none.ini" export --week 2026-W49 --post
assert_eq "export --post with FURIKAERI_WEBHOOK_URL tries the post" 5 "$rc"
assert_contains "and says it was not posted" "not posted" "$errout"
assert_not_contains "the URL stays secret" "SECRET" "$errout"
printf 'http://127.0.0.1:9/hook/SECRET\n' >"$SCRATCH/hook"
chmod 600 "$SCRATCH/hook"
printf '[minutes]\nwebhook_url_file = %s\n' "$SCRATCH/hook" >"$SCRATCH/file.ini"
run "$FK" --db "$DB" --config "$SCRATCH/file.ini" export --week 2026-W49 --post
assert_eq "export --post with webhook_url_file tries the post" 5 "$rc"
assert_not_contains "the file's URL stays secret" "SECRET" "$errout"
run "$FK" --db "$DB" --config "$SCRATCH/none.ini" export --week 2026-W49 --post
assert_eq "no webhook anywhere" 4 "$rc"
assert_contains "says where to set it" "set FURIKAERI_WEBHOOK_URL, or webhook_url_file" "$errout"

# A meeting that ended with its wrap-up open (the session keeps the last
# item current for /reopen): the minutes close it, in the JSON and the
# Markdown; a meeting not ended keeps its current item.
jq '.items[3].state = "current"' "$FIXTURES/minutes/2026-W49.json" >"$SCRATCH/open.json"
"$FK" --db "$SCRATCH/open.db" import "$SCRATCH/open.json" >/dev/null || fail "import the open wrap-up"
run "$FK" --db "$SCRATCH/open.db" export --week 2026-W49 --format json
assert_eq "ended: the wrap-up is done in the JSON" done \
	"$(printf '%s' "$out" | jq -r '.items[] | select(.kind == "wrapup") | .state')"
assert_eq "ended: nothing current in the JSON" 0 \
	"$(printf '%s' "$out" | jq '[.items[] | select(.state == "current")] | length')"
run "$FK" --db "$SCRATCH/open.db" export --week 2026-W49 --format md
assert_not_contains "ended: nothing current in the Markdown" "current" "$out"
jq '.items[3].state = "current" | .ended_at = null' "$FIXTURES/minutes/2026-W49.json" \
	>"$SCRATCH/running.json"
"$FK" --db "$SCRATCH/running.db" import "$SCRATCH/running.json" >/dev/null || fail "import the running meeting"
run "$FK" --db "$SCRATCH/running.db" export --week 2026-W49 --format json
assert_eq "running: the wrap-up is still current" current \
	"$(printf '%s' "$out" | jq -r '.items[] | select(.kind == "wrapup") | .state')"

finish
