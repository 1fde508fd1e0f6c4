#!/bin/bash
# Every GraphQL request the Linear client makes is held to Linear's
# published schema (linear-schema.graphql) by the reference implementation,
# graphql from npm, pinned in package-lock.json: tests/contract/linear_fake.mjs
# refuses a query the schema does not allow, or variables its input types
# do not, with 400. The client's calls must all pass, the fake's log must
# show each of its operations validated, and wrong requests must be refused.
# Never skips unless FK_SKIP_CONTRACT=1 asks it to on purpose.
set -u
peers=${FK_PEERS:-$HOME/.cache/furikaeri-peers}
specs=${FK_SPECS:-${FK_SRCDIR:?}/../shared/api-specs}
client=${FK_BUILDDIR:?}/tests/contract_client
if [ "${FK_SKIP_CONTRACT:-}" = 1 ]; then
	echo "SKIP: FK_SKIP_CONTRACT=1 says to skip the contract tests"
	exit 77
fi
missing=
if ! command -v node >/dev/null 2>&1; then
	missing="node is not installed"
elif [ ! -f "$peers/node_modules/graphql/package.json" ]; then
	missing="graphql is not installed in $peers (npm ci of tests/contract/package-lock.json)"
elif [ ! -f "$specs/linear-schema.graphql" ]; then
	missing="the API descriptions are not in $specs (put the shared folder beside the clone, or set FK_SPECS)"
fi
if [ -n "$missing" ]; then
	echo "ERROR: $missing: run bash scripts/setup, or set FK_SKIP_CONTRACT=1 to skip the contract tests on purpose"
	exit 99
fi

log=$(mktemp "${TMPDIR:-/tmp}/fk-linear-fake.XXXXXX")
portfile=$log.port
node "$FK_SRCDIR/tests/contract/linear_fake.mjs" "$peers" "$specs/linear-schema.graphql" \
	>"$portfile" 2>"$log" &
fake=$!
trap 'kill "$fake" 2>/dev/null; wait "$fake" 2>/dev/null; rm -f "$log" "$portfile"' EXIT
for _ in $(seq 1 100); do
	[ -s "$portfile" ] && break
	kill -0 "$fake" 2>/dev/null || break
	sleep 0.2
done
port=$(head -n 1 "$portfile")
if [ -z "$port" ]; then
	echo "ERROR: the Linear fake did not start:"; cat "$log"
	exit 99
fi

"$client" linear "http://127.0.0.1:$port/graphql"
rc=$?
echo "--- the fake's log (each request, validated against the schema):"
cat "$log"
for op in FurikaeriTeams FurikaeriLabels FurikaeriUsers FurikaeriIssueCreate FurikaeriIssue \
	FurikaeriViewer; do
	if ! grep -q "^ok $op\b" "$log"; then
		echo "FAIL: no $op request passed the schema"
		rc=1
	fi
done
if grep "^refused Furikaeri" "$log"; then
	echo "FAIL: the schema refused a request the client made"
	rc=1
fi
[ "$(grep -c '^refused ' "$log")" -ge 4 ] || { echo "FAIL: the wrong requests were not all refused"; rc=1; }
exit $rc
