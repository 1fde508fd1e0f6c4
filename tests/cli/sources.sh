#!/bin/sh
# furikaeri import from tracker sources: the command line's errors, without a server.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/fk.db
CFG=$SCRATCH/config.ini
export GITHUB_TOKEN=ghp_cli_0123456789 JIRA_API_TOKEN=jira_cli_0123456789

# No path and no [sources]: the usage, naming both ways.
printf '[github]\nurl = http://127.0.0.1:1\n' >"$CFG"
run "$FK" --db "$DB" --config "$CFG" import
assert_eq "no argument, no sources" 2 "$rc"
assert_contains "no argument says what to give" "or name sources in [sources] of the config" "$errout"

# A spec that is not one.
run "$FK" --db "$DB" --config "$CFG" import github:acme
assert_eq "bad spec exit status" 2 "$rc"
assert_contains "bad spec named" "github:acme: expected github:OWNER/REPO" "$errout"
run "$FK" --db "$DB" --config "$CFG" import github:acme/pay --state sideways
assert_eq "bad state exit status" 2 "$rc"
assert_contains "bad state named" "state sideways: expected open, closed or all" "$errout"

# Confluence: a parent that is not a page's number; no site configured;
# nothing listening (the request is named).
run "$FK" --db "$DB" --config "$CFG" import confluence:OPS/home
assert_eq "bad confluence spec exit status" 2 "$rc"
assert_contains "bad confluence spec named" "confluence:OPS/home: expected confluence:SPACE" "$errout"
run "$FK" --db "$DB" --config "$CFG" import confluence:OPS
assert_eq "no confluence site exit status" 5 "$rc"
assert_contains "no confluence site says what to set" "Confluence is not configured: set url" "$errout"
printf '[confluence]\nurl = http://127.0.0.1:1\nemail = bot@acme.example\n' >"$SCRATCH/conf.ini"
run "$FK" --db "$DB" --config "$SCRATCH/conf.ini" import confluence:OPS/123 --label postmortem
assert_eq "confluence unreachable exit status" 5 "$rc"
assert_contains "confluence request named" "GET /wiki/api/v2/spaces?keys=OPS" "$errout"
assert_contains "confluence per-source line" "confluence:OPS/123 label=postmortem: added 0" "$errout"

# A [sources] entry that is neither names its line.
printf '[sources]\nours = gitea:acme/pay\n' >"$SCRATCH/bad.ini"
run "$FK" --db "$DB" --config "$SCRATCH/bad.ini" import
assert_eq "bad [sources] exit status" 4 "$rc"
assert_contains "bad [sources] names file:line" "bad.ini:2: [sources] ours = gitea:acme/pay" "$errout"

# Nothing listens: the request is named, exit 5, nothing recorded as imported.
run "$FK" --db "$DB" --config "$CFG" import github:acme/pay --label incident
assert_eq "unreachable exit status" 5 "$rc"
assert_contains "unreachable request named" "GET /repos/acme/pay/issues?labels=incident&state=all" "$errout"
assert_contains "per-source line" "github:acme/pay label=incident state=all: added 0" "$errout"
assert_eq "no source recorded" 0 "$(sqlite3 "$DB" 'SELECT count(*) FROM import_sources')"

# Files and a source in one run: the files still import.
mkdir -p "$SCRATCH/pm"
printf -- '---\nid: pm-1\ntitle: T\ndate: 2026-11-28\n---\n\n# T\n' >"$SCRATCH/pm/a.md"
run "$FK" --db "$DB" --config "$CFG" import "$SCRATCH/pm" github:acme/pay
assert_eq "mixed exit status" 5 "$rc"
assert_eq "mixed summary" "added 1, updated 0, unchanged 0, failed 0" "$out"

# Ids of GitHub issues are shown as REPO#N where no other id shortens the same way.
mkdir -p "$SCRATCH/ids"
for id in acme/pay#31 fork/pay#31 acme/web#5; do
	f=$SCRATCH/ids/$(printf '%s' "$id" | tr '/#' '--').json
	printf '{"id": "%s", "title": "Issue %s", "date": "2026-11-2%s"}\n' "$id" "$id" "${id##*#}" \
		| sed 's/2026-11-231/2026-11-23/; s/2026-11-25/2026-11-25/' >"$f"
done
run "$FK" --db "$DB" import "$SCRATCH/ids"
assert_eq "ids imported" "added 3, updated 0, unchanged 0, failed 0" "$out"
run "$FK" --db "$DB" list
assert_contains "unique short id" "web#5 " "$out"
assert_contains "ambiguous keeps the owner" "acme/pay#31" "$out"
assert_contains "ambiguous keeps the other owner" "fork/pay#31" "$out"
run "$FK" --db "$DB" show web#5 --json
assert_eq "show by short id" "acme/web#5" "$(printf '%s' "$out" | jq -r .id)"
run "$FK" --db "$DB" show pay#31
assert_eq "ambiguous short id exit status" 1 "$rc"
assert_contains "ambiguous short id named" "pay#31 is acme/pay#31 and 1 more" "$errout"

finish
