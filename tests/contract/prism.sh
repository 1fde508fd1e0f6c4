# Shared by the contract tests (sourced): finds Prism and the patched
# descriptions that scripts/setup prepares, starts Prism on a free loopback
# port and stops it on exit. Without them the test fails (99), saying what
# is missing: a contract test never skips unless FK_SKIP_CONTRACT=1 asks it
# to on purpose (CI never sets it).

peers=${FK_PEERS:-$HOME/.cache/furikaeri-peers}
prism=$peers/node_modules/.bin/prism
specs=${FK_SPECS:-${FK_SRCDIR:?}/../shared/api-specs}
client=${FK_BUILDDIR:?}/tests/contract_client

if [ "${FK_SKIP_CONTRACT:-}" = 1 ]; then
	echo "SKIP: FK_SKIP_CONTRACT=1 says to skip the contract tests"
	exit 77
fi
missing=
if ! command -v node >/dev/null 2>&1; then
	missing="node is not installed"
elif [ ! -x "$prism" ]; then
	missing="Prism is not installed in $peers"
elif [ ! -f "$specs/patch-for-prism.js" ]; then
	missing="the API descriptions are not in $specs (put the shared folder beside the clone, or set FK_SPECS)"
fi
if [ -n "$missing" ]; then
	echo "ERROR: $missing: run bash scripts/setup, or set FK_SKIP_CONTRACT=1 to skip the contract tests on purpose"
	exit 99
fi

# Whether the Prism on $port serves the description of $1: a path only
# that description has must not answer 404. (Prism at -v warn does not log
# "Prism is listening", and another test's Prism may have taken a port that
# looked free, so "something answers" is not enough.)
prism_serves() {
	case $1 in
	github) probe=/user ;;
	slack) probe=/conversations.replies ;;
	mattermost) probe=/api/v4/users/me ;;
	gdrive) probe=/drive/v3/about ;;
	*) probe=/rest/api/3/myself ;;
	esac
	node -e 'require("http").get({host:"127.0.0.1",port:+process.argv[1],path:process.argv[2]},
		(r)=>process.exit(r.statusCode === 404 ? 1 : 0)).on("error",()=>process.exit(1))' \
		"$port" "$probe"
}

# prism_start NAME SPEC [PRISM OPTIONS]: patches SPEC once per run, starts
# Prism on a free port (another one when that port was taken meanwhile),
# sets $port and $prism_pid.
prism_start() {
	local name=$1 spec=$2 patched=$peers/$1.json attempt
	shift 2
	if [ "$name" = mattermost ]; then
		patched=$spec	# Mattermost's description serves as it is
	elif [ "$name" = gdrive ]; then
		# Prism serves a description's paths at its root, not under its
		# server's /drive/v3: the copy names them in full, nothing else changed
		patched=$peers/gdrive.yaml
		if [ ! -s "$patched" ] || [ "$spec" -nt "$patched" ]; then
			sed '/^paths:$/,/^components:$/ s#^  /#  /drive/v3/#' "$spec" >"$patched.tmp.$$" &&
				mv "$patched.tmp.$$" "$patched" || return 99
		fi
	elif [ ! -s "$patched" ] || [ "$spec" -nt "$patched" ]; then
		node "$specs/patch-for-prism.js" "$name" "$spec" "$patched.tmp.$$" &&
			mv "$patched.tmp.$$" "$patched" || return 99
	fi
	log=$(mktemp "${TMPDIR:-/tmp}/fk-prism-$name.XXXXXX")
	trap 'kill "$prism_pid" 2>/dev/null; wait "$prism_pid" 2>/dev/null; rm -f "$log"' EXIT
	for attempt in 1 2 3; do
		port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
		"$prism" mock -h 127.0.0.1 -p "$port" "$@" -v warn "$patched" >"$log" 2>&1 &
		prism_pid=$!
		for _ in $(seq 1 120); do
			kill -0 "$prism_pid" 2>/dev/null || break
			prism_serves "$name" && kill -0 "$prism_pid" 2>/dev/null && return 0
			sleep 0.5
		done
		kill "$prism_pid" 2>/dev/null
		wait "$prism_pid" 2>/dev/null
		echo "Prism for $name did not serve on port $port (attempt $attempt):"; cat "$log"
	done
	return 99
}
