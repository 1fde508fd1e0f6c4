#!/bin/sh
# furikaeri new: a postmortem from the template, edited by a scripted $EDITOR.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/fk.db
export FURIKAERI_TODAY=2026-12-01 TZ=Asia/Tokyo
unset VISUAL
git config --global user.name "Aoi Tanaka"
mkdir -p "$SCRATCH/pm"

# The editor writes a summary and marks the postmortem ready.
cat >"$SCRATCH/edit.sh" <<'ED'
#!/bin/sh
printf '%s\n' "$1" >>"$(dirname "$0")/edited"
sed -i 's/^status: draft/status: ready/; s/^ステータス: draft/status: ready/' "$1"
sed -i '/^## Summary/a\
\
Checkout failed for 37 minutes after the deploy.' "$1"
sed -i '/^## 概要/a\
\
デプロイ後に決済が 37 分間失敗した。' "$1"
ED
chmod +x "$SCRATCH/edit.sh"

cd "$SCRATCH/pm" || exit 99
EDITOR=$SCRATCH/edit.sh run "$FK" --db "$DB" new --title "Payment API timeouts" --severity sev2
assert_eq "new exit status" 0 "$rc"
assert_contains "new names id and file" "pm-2026-001: ./2026-12-01-payment-api-timeouts.md" "$out"
assert_contains "new imports the edited file" "imported pm-2026-001" "$out"
assert_eq "the editor got the file" "./2026-12-01-payment-api-timeouts.md" "$(cat "$SCRATCH/edited")"
f=$SCRATCH/pm/2026-12-01-payment-api-timeouts.md
assert_contains "time zone filled" "tz: JST" "$(cat "$f")"
assert_contains "author filled from git" 'authors: ["Aoi Tanaka"]' "$(cat "$f")"
assert_contains "heading retitled" "# Payment API timeouts" "$(cat "$f")"
assert_not_contains "the copy-me note is gone" "Copy this file" "$(cat "$f")"
run "$FK" --db "$DB" show pm-2026-001 --json
assert_eq "title" "Payment API timeouts" "$(printf '%s' "$out" | jq -r .title)"
assert_eq "date" 2026-12-01 "$(printf '%s' "$out" | jq -r .date)"
assert_eq "severity" SEV2 "$(printf '%s' "$out" | jq -r .severity)"
assert_eq "status from the editor" ready "$(printf '%s' "$out" | jq -r .status)"
assert_eq "authors" "Aoi Tanaka" "$(printf '%s' "$out" | jq -r '.authors | join(",")')"
assert_eq "summary from the editor" "Checkout failed for 37 minutes after the deploy." \
	"$(printf '%s' "$out" | jq -r .sections.summary)"

# The same title again the same day: the file exists and is left alone.
before=$(cat "$f")
EDITOR=$SCRATCH/edit.sh run "$FK" --db "$DB" new --title "Payment API timeouts"
assert_eq "existing file exit status" 1 "$rc"
assert_contains "existing file named" "2026-12-01-payment-api-timeouts.md already exists" "$errout"
assert_eq "existing file untouched" "$before" "$(cat "$f")"

# Japanese: the shipped Japanese template, the next id, into another folder.
mkdir -p "$SCRATCH/ja"
EDITOR=$SCRATCH/edit.sh run "$FK" --db "$DB" new --lang ja --title "検索の障害" -o "$SCRATCH/ja"
assert_eq "ja exit status" 0 "$rc"
assert_contains "ja next id, file named by id" "pm-2026-002: $SCRATCH/ja/2026-12-01-pm-2026-002.md" "$out"
run "$FK" --db "$DB" show pm-2026-002 --json
assert_eq "ja title" "検索の障害" "$(printf '%s' "$out" | jq -r .title)"
assert_eq "ja summary" "デプロイ後に決済が 37 分間失敗した。" \
	"$(printf '%s' "$out" | jq -r .sections.summary)"
assert_eq "ja author" "Aoi Tanaka" "$(printf '%s' "$out" | jq -r '.authors | join(",")')"

# An editor that changes nothing: the file stays, nothing is imported.
EDITOR=true run "$FK" --db "$DB" new --title "Untouched"
assert_eq "unchanged exit status" 0 "$rc"
assert_contains "unchanged not imported" "was not changed, so it is not imported" "$errout"
run "$FK" --db "$DB" show pm-2026-003
assert_eq "unchanged postmortem absent" 1 "$rc"
assert_eq "unchanged file kept" yes "$([ -f "$SCRATCH/pm/2026-12-01-untouched.md" ] && echo yes)"

# An editor that fails: kept, not imported, exit 1.
EDITOR=false run "$FK" --db "$DB" new --title "Failed edit"
assert_eq "failed editor exit status" 1 "$rc"
assert_contains "failed editor reported" "the editor exited with status 1" "$errout"
assert_contains "an id taken by a file not imported is not reused" "pm-2026-004:" "$out"

# A team template from the config, with its own id pattern.
mkdir -p "$SCRATCH/config/furikaeri"
printf -- '---\nid: INC-YYYY-NN\ntitle: T\ndate: 2000-01-01\nseverity: SEV3\nauthors: [X]\n---\n\n# T\n\n## Summary\n' \
	>"$SCRATCH/team.md"
printf '[postmortems]\ntemplate = %s\n' "$SCRATCH/team.md" >"$SCRATCH/config/furikaeri/config.ini"
run "$FK" --db "$DB" new --title "Team pattern" --no-edit
assert_contains "team id pattern" "INC-2026-01: ./2026-12-01-team-pattern.md" "$out"
assert_contains "team template used" "# Team pattern" "$(cat "$SCRATCH/pm/2026-12-01-team-pattern.md")"

# --tracker with no tracker configured: the edited template waits in the
# outbox as an issue; no file is written.
rm -f "$SCRATCH/config/furikaeri/config.ini"
EDITOR=$SCRATCH/edit.sh run "$FK" --db "$DB" new --title "Queue stuck" --tracker github
assert_eq "tracker exit status" 0 "$rc"
assert_contains "tracker not filed yet" "not filed yet" "$out"
assert_contains "tracker says push" "furikaeri tickets push sends it" "$errout"
assert_eq "no file for an issue" no "$([ -f "$SCRATCH/pm/2026-12-01-queue-stuck.md" ] && echo yes || echo no)"
run "$FK" --db "$DB" tickets list
assert_contains "tickets list shows it" "postmortem pm-2026-005: Queue stuck" "$out"
run "$FK" --db "$DB" tickets list --json
assert_eq "kind in JSON" postmortem "$(printf '%s' "$out" | jq -r '.[] | select(.title == "Queue stuck") | .kind')"
# the next one does not take the id the issue was given
run "$FK" --db "$DB" new --title "Queue stuck again" --tracker jira --no-edit
assert_contains "issue ids not reused" "pm-2026-006: not filed yet" "$out"
run "$FK" --db "$DB" new --tracker gitea --no-edit
assert_eq "unknown tracker exit status" 2 "$rc"
# --to confluence: a page, through the same outbox (no site configured: it waits)
run "$FK" --db "$DB" new --title "Cache stampede" --to confluence --no-edit
assert_contains "confluence page waits" "pm-2026-007: not filed yet" "$out"
run "$FK" --db "$DB" tickets list --json
assert_eq "page row in the outbox" confluence \
	"$(printf '%s' "$out" | jq -r '.[] | select(.title == "Cache stampede") | .tracker')"
run "$FK" --db "$DB" new --to wiki --no-edit
assert_eq "unknown destination exit status" 2 "$rc"
assert_contains "unknown destination named" "--to wiki: expected confluence" "$errout"

finish
