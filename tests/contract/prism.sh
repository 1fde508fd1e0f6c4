# Shared by the contract tests (sourced): finds Prism and the patched
# descriptions that scripts/setup prepares, starts Prism on a free loopback
# port and stops it on exit. Skips (77) when they are not there.

peers=${FK_PEERS:-$HOME/.cache/furikaeri-peers}
prism=$peers/node_modules/.bin/prism
specs=${FK_SRCDIR:?}/../shared/api-specs
client=${FK_BUILDDIR:?}/tests/contract_client

if ! command -v node >/dev/null 2>&1 || [ ! -x "$prism" ]; then
	echo "SKIP: Prism is not installed in $peers (bash scripts/setup installs it)"
	exit 77
fi
if [ ! -f "$specs/patch-for-prism.js" ]; then
	echo "SKIP: no API descriptions in $specs"
	exit 77
fi

# Whether anything answers HTTP on $port (Prism at -v warn does not log
# "Prism is listening", so readiness is asked on the socket).
prism_answers() {
	node -e 'require("http").get({host:"127.0.0.1",port:+process.argv[1],path:"/"},
		()=>process.exit(0)).on("error",()=>process.exit(1))' "$port"
}

# prism_start NAME SPEC [PRISM OPTIONS]: patches SPEC once per run, starts
# Prism, sets $port.
prism_start() {
	local name=$1 spec=$2 patched=$peers/$1.json
	shift 2
	if [ ! -s "$patched" ] || [ "$spec" -nt "$patched" ]; then
		node "$specs/patch-for-prism.js" "$name" "$spec" "$patched.tmp.$$" &&
			mv "$patched.tmp.$$" "$patched" || return 99
	fi
	port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
	log=$(mktemp "${TMPDIR:-/tmp}/fk-prism-$name.XXXXXX")
	"$prism" mock -h 127.0.0.1 -p "$port" "$@" -v warn "$patched" >"$log" 2>&1 &
	prism_pid=$!
	trap 'kill "$prism_pid" 2>/dev/null; wait "$prism_pid" 2>/dev/null; rm -f "$log"' EXIT
	for _ in $(seq 1 120); do
		grep -q "Prism is listening" "$log" && return 0
		prism_answers && return 0
		kill -0 "$prism_pid" 2>/dev/null || break
		sleep 0.5
	done
	echo "Prism did not start for $name:"; cat "$log"
	return 99
}
