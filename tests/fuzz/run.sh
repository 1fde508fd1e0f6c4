#!/bin/sh
# Runs one fuzz harness for a given time: tests/fuzz/run.sh NAME SECONDS
# (from a build configured with CC=clang --enable-fuzzers; FK_BUILDDIR is
# that build folder, the current one by default). New inputs go to
# $FK_BUILDDIR/tests/fuzz/work/NAME, crashes to .../crashes/NAME/; the seed
# corpus in the source tree is only read.
set -eu
name=${1:?usage: run.sh NAME SECONDS}
seconds=${2:-60}
src=$(cd "$(dirname "$0")" && pwd)
build=${FK_BUILDDIR:-$(pwd)}
bin=$build/tests/fuzz/fuzz_$name
if [ ! -x "$bin" ]; then
	echo "run.sh: $bin not found; build with ./configure CC=clang --enable-fuzzers && make" >&2
	exit 1
fi
work=$build/tests/fuzz/work/$name
crashes=$build/tests/fuzz/crashes/$name
mkdir -p "$work" "$crashes"
echo "fuzz_$name: $seconds s, corpus $work + $src/corpus/$name, crashes in $crashes/" >&2
exec "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
	-print_final_stats=1 -artifact_prefix="$crashes/" \
	"$work" "$src/corpus/$name"
