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

# A [sources] entry that is neither names its line.
printf '[sources]\nours = gitlab:acme/pay\n' >"$SCRATCH/bad.ini"
run "$FK" --db "$DB" --config "$SCRATCH/bad.ini" import
assert_eq "bad [sources] exit status" 4 "$rc"
assert_contains "bad [sources] names file:line" "bad.ini:2: [sources] ours = gitlab:acme/pay" "$errout"

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

finish
