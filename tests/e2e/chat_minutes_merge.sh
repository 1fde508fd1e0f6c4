#!/bin/sh
# Minutes exported earlier and imported back (a colleague's older copy
# pulled from the team's repository) are merged entry by entry: what was
# typed and pulled from the chat since stays, the week's chat posts and
# pulled replies stay, and an older version of an entry edited here is
# refused, saying what would be lost, unless --replace.
. "$FK_SRCDIR/tests/e2e/lib.sh"
. "$FK_SRCDIR/tests/e2e/chat_lib.sh"

demo_in_chat "$SCRATCH/c.ini"
type_line "typed before the export"
wait_posted "typed before the export"
reply "$MEI" "pulled before the export" >/dev/null
wait_for "Mei: pulled before the export" 15
type_line "/quit"
wait_for "[exited] 0"
run "$FK" --db "$DB" export --week 2026-W49 --format json -o "$SCRATCH/old.json"
assert_eq "the export" 0 "$rc"

# The meeting goes on after the export: an entry typed, a reply pulled, and
# the entry typed before edited.
start 150 40 env "$TOKEN_ENV" GITHUB_TOKEN=ghp-test "$FK" --db "$DB" --config "$SCRATCH/c.ini" \
	meeting --week 2026-W49
wait_for "chat: connected" 15
type_line "typed after the export"
wait_posted "typed after the export"
reply "$KEN" "pulled after the export" >/dev/null
wait_for "Ken: pulled after the export" 15
seq=$(sql "select seq from minutes where body = 'typed before the export'")
type_line "/edit $seq edited here after the export"
wait_for "edited here after the export"
type_line "/quit"
wait_for "[exited] 0"
posts_before=$(sql "select count(*) from chat_posts")
replies_before=$(sql "select count(*) from chat_replies")
entries_before=$(sql "select count(*) from minutes")

# The older copy: nothing in it is newer, so nothing changes.
run "$FK" --db "$DB" import "$SCRATCH/old.json"
assert_eq "the older copy: exit status" 0 "$rc"
assert_eq "the older copy changes nothing" "added 0, updated 0, unchanged 1, failed 0" "$out"
assert_eq "the chat posts stay" "$posts_before" "$(sql "select count(*) from chat_posts")"
assert_eq "the pulled replies stay" "$replies_before" "$(sql "select count(*) from chat_replies")"
assert_eq "every entry stays" "$entries_before" "$(sql "select count(*) from minutes")"
assert_eq "the entry typed since stays" 1 \
	"$(sql "select count(*) from minutes where body = 'typed after the export'")"
assert_eq "the reply pulled since stays" 1 \
	"$(sql "select count(*) from minutes where body = 'pulled after the export'")"
assert_eq "the edit made since stays" "edited here after the export" \
	"$(sql "select body from minutes where seq = $seq")"
assert_ne_zero() { [ "$2" -gt 0 ] || fail "$1: none"; }
assert_ne_zero "the replies know they were pulled" \
	"$(sql "select count(*) from chat_replies where minute_id is not null")"

# A copy where someone else edited the same entry earlier: refused, naming
# what this store would lose; --replace takes the file's version.
jq --argjson s "$seq" '(.entries[] | select(.seq == $s)) |=
	(.text = "edited in the other copy" | .edited_at = "2026-12-01T10:30:00Z")' \
	"$SCRATCH/old.json" >"$SCRATCH/other.json"
run "$FK" --db "$DB" import "$SCRATCH/other.json"
assert_eq "a conflicting older copy: exit status" 1 "$rc"
assert_contains "the refusal names the entry and what would be lost" \
	"entry $seq (note) edited here at" "$errout"
assert_contains "the refusal quotes this store's version" '"edited here after the export"' "$errout"
assert_contains "the refusal says how to take the file's" "give --replace" "$errout"
assert_eq "refused: the entry as it was" "edited here after the export" \
	"$(sql "select body from minutes where seq = $seq")"
run "$FK" --db "$DB" import --replace "$SCRATCH/other.json"
assert_eq "--replace: exit status" 0 "$rc"
assert_eq "--replace: the meeting updated" "added 0, updated 1, unchanged 0, failed 0" "$out"
assert_eq "--replace: the file's version" "edited in the other copy" \
	"$(sql "select body from minutes where seq = $seq")"
assert_eq "--replace: the entry typed since still stays" 1 \
	"$(sql "select count(*) from minutes where body = 'typed after the export'")"
assert_eq "--replace: the chat posts stay" "$posts_before" "$(sql "select count(*) from chat_posts")"
assert_eq "--replace: the pulled replies stay" "$replies_before" \
	"$(sql "select count(*) from chat_replies")"
finish
