#!/bin/bash
# Every request an import from a Jira Cloud search makes passes Prism's
# validation against Jira's own OpenAPI description, and a wrong one does not.
set -u
. "${FK_SRCDIR:?}/tests/contract/prism.sh"
# No --errors, as in jira.sh: some of the description's own examples break
# its schema; request validation works either way.
prism_start jira "$specs/jira-platform.v3.json" || exit 99
"${FK_BUILDDIR:?}/tests/contract_source" jira "http://127.0.0.1:$port"
status=$?

# The command line: a plain import refreshes [sources], and says what it did.
scratch=$(mktemp -d "${TMPDIR:-/tmp}/fk-source-cli-XXXXXX")
trap 'kill "$prism_pid" 2>/dev/null; wait "$prism_pid" 2>/dev/null; rm -rf "$scratch" "$log"' EXIT
printf '[jira]\nurl = http://127.0.0.1:%s\napi = 3\nemail = bot@example.com\n[sources]\nreviews = jira:project = ED\n' \
	"$port" >"$scratch/config.ini"
out=$(JIRA_API_TOKEN=jira_contract_0123456789 HOME=$scratch XDG_CONFIG_HOME=$scratch \
	"${FK_BUILDDIR:?}/furikaeri" --db "$scratch/fk.db" --config "$scratch/config.ini" import 2>"$scratch/err")
rc=$?
case "$(cat "$scratch/err")" in
*"jira:project = ED: added 1, updated 0, unchanged 0, failed 0, gone 0, waiting 0; 1 requests in"*)
	echo "ok furikaeri import refreshes [sources]" ;;
*) echo "FAIL furikaeri import with [sources]: rc $rc, $out, $(cat "$scratch/err")"; status=1 ;;
esac
[ "$out" = "added 1, updated 0, unchanged 0, failed 0" ] || { echo "FAIL summary: $out"; status=1; }
exit $status
