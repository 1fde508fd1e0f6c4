#!/bin/sh
# make bench: generates a synthetic archive, then measures furikaeri and a
# baseline for each figure in this same run, and prints the ratio of the
# two. tests/bench/README.md says what each baseline stands for.
set -u
: "${FK_SRCDIR:?run this through make bench}" "${FK_BUILDDIR:?run this through make bench}"

N=${BENCH_N:-10000}
WEEKS=${BENCH_WEEKS:-260}
TODAY=${BENCH_TODAY:-2026-12-01}
RUNS=${BENCH_RUNS:-20}
CHARS=${BENCH_CHARS:-200}
ENTRIES=${BENCH_ENTRIES:-400}
DELAY_MS=${BENCH_DELAY_MS:-2000}
TICKETS=${BENCH_TICKETS:-5}
ROUNDS=${BENCH_SEARCH_ROUNDS:-3}
BIG_KB=${BENCH_BIG_KB:-5120}
PAGES=${BENCH_PAGES:-10}

B=$FK_BUILDDIR/tests/bench
FK=$FK_BUILDDIR/furikaeri
for tool in grep sqlite3 date awk; do
	command -v "$tool" >/dev/null 2>&1 || { echo "bench: $tool is needed (scripts/setup installs it)" >&2; exit 1; }
done

WORK=${BENCH_DIR:-}
if [ -z "$WORK" ]; then
	WORK=$(mktemp -d "${TMPDIR:-/tmp}/fk-bench.XXXXXX") || exit 1
	[ -n "${BENCH_KEEP:-}" ] || trap 'rm -rf "$WORK"' EXIT
fi
mkdir -p "$WORK"
: >"$WORK/table"
DATA=$WORK/archive
DB=$WORK/furikaeri.db
export LC_ALL=C.UTF-8 TERM=xterm-256color FURIKAERI_TODAY=$TODAY
export XDG_CONFIG_HOME=$WORK/xdg XDG_DATA_HOME=$WORK/xdg
unset FURIKAERI_DB FURIKAERI_LOG NO_COLOR VISUAL EDITOR GITHUB_TOKEN JIRA_API_TOKEN

# val LINE KEY: the value of KEY=... in a line the driver printed
val() {
	printf '%s\n' "$1" | awk -v k="$2" '{ for (i = 1; i <= NF; i++) { n = index($i, "=");
		if (substr($i, 1, n - 1) == k) print substr($i, n + 1) } }'
}
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)] }'
}
# ratio A B: A / B with two decimals
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}
# verdict VALUE OP LIMIT: "ok" when VALUE OP LIMIT holds, else "MISS"
verdict() {
	awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
		ok = (op == "<=") ? v <= l : v >= l; print (ok ? "ok" : "MISS") }'
}
# a row of the table; the table is kept to count the misses at the end
row() {
	printf '%-40s %14s %14s %9s %10s %s\n' "$@" | tee -a "$WORK/table"
}
mb() {
	awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'
}
die() {
	echo "bench: $*" >&2
	exit 1
}

week_of() { date -u -d "$1" +%G-W%V; }
monday_of() { date -u -d "$1 -$(($(date -u -d "$1" +%u) - 1)) days" +%F; }
THIS_MONDAY=$(monday_of "$TODAY")
THIS_WEEK=$(week_of "$THIS_MONDAY")
NEXT_MONDAY=$(date -u -d "$THIS_MONDAY +7 days" +%F)
NEXT_WEEK=$(week_of "$NEXT_MONDAY")

echo "furikaeri benchmarks"
echo "commit:   $(git -C "$FK_SRCDIR" rev-parse --short HEAD 2>/dev/null || echo unknown)" \
	"$(git -C "$FK_SRCDIR" status --porcelain --untracked-files=no 2>/dev/null | grep -q . && echo '(modified)')"
echo "date:     $(date -u +%Y-%m-%dT%H:%MZ)"
echo "machine:  $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null)," \
	"load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
echo "sqlite3:  $(sqlite3 --version | cut -d' ' -f1); grep: $(grep --version | head -1)"
echo "archive:  $N postmortems, $WEEKS weeks of minutes, a $ENTRIES-entry meeting in $THIS_WEEK ($WORK)"

"$B/gen" -n "$N" -w "$WEEKS" -e "$ENTRIES" -t "$TODAY" "$DATA" || die "the generator failed"
echo "          $(du -sh "$DATA/postmortems" | cut -f1) of Markdown in" \
	"$(find "$DATA/postmortems" -name '*.md' | wc -l) files"
# both sides read from the page cache
find "$DATA" -type f -exec cat {} + >/dev/null

# 1. import
base=$("$B/driver" run -- "$B/baseline_import" "$WORK/baseline.db" "$DATA/postmortems")
base_pf=$("$B/driver" run -- "$B/baseline_import" "$WORK/baseline.db" "$DATA/postmortems" --per-file)
first=$("$B/driver" run -- "$FK" --db "$DB" import "$DATA/postmortems")
again=$("$B/driver" run -- "$FK" --db "$DB" import "$DATA/postmortems")
[ "$(val "$first" status)" = 0 ] || die "furikaeri import failed: $first"
[ "$(val "$again" status)" = 0 ] || die "furikaeri re-import failed: $again"
mins=$("$B/driver" run -- "$FK" --db "$DB" import "$DATA/minutes" "$DATA/long-meeting.json")
[ "$(val "$mins" status)" = 0 ] || die "importing the minutes failed: $mins"
echo "          setup: $WEEKS weeks of minutes imported in $(val "$mins" ms) ms;" \
	"store $(du -m "$DB" | cut -f1) MB, search index $(du -m "$DB.search" | cut -f1) MB"

# 2. search
fk_q=$("$B/driver" queries "$DATA/queries.txt" "$ROUNDS" -- "$FK" --db "$DB" search --json '{}')
grep_q=$("$B/driver" queries "$DATA/queries.txt" "$ROUNDS" -- grep -rlF '{}' "$DATA/postmortems")
inproc=$("$B/search_inproc" "$DB" "$DATA/queries.txt") || die "in-process search failed"
[ "$(val "$fk_q" failed)" = 0 ] || die "furikaeri search failed: $fk_q"

# 3. first frame of a new week's meeting, against sqlite3 running its queries
sed -e "s/@WEEK@/$NEXT_WEEK/g" -e "s/@SINCE@/$THIS_MONDAY/g" -e "s/@MONDAY@/$NEXT_MONDAY/g" \
	"$FK_SRCDIR/tests/bench/agenda.sql" >"$WORK/agenda.sql"
: >"$WORK/frame.ms"
: >"$WORK/sqlite.ms"
i=0
while [ "$i" -lt "$RUNS" ]; do
	sqlite3 "$DB" "PRAGMA foreign_keys = ON; DELETE FROM meetings WHERE week = '$NEXT_WEEK'" ||
		die "cannot reset the $NEXT_WEEK meeting"
	f=$("$B/driver" frame "Before we start" -- "$FK" --db "$DB" --config /dev/null \
		meeting --week "$NEXT_WEEK") || die "the meeting screen never showed"
	val "$f" ms >>"$WORK/frame.ms"
	frame_rss=$(val "$f" rss_kb)
	q=$("$B/driver" run -- sqlite3 -batch "$DB" ".read $WORK/agenda.sql")
	val "$q" ms >>"$WORK/sqlite.ms"
	sqlite_rss=$(val "$q" rss_kb)
	i=$((i + 1))
done
frame_ms=$(median <"$WORK/frame.ms")
sqlite_ms=$(median <"$WORK/sqlite.ms")
ready=$(sqlite3 "$DB" "SELECT count(*) FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id
	WHERE m.week = '$NEXT_WEEK'")

# 4. typing in a long meeting: idle, then while tickets go to a slow tracker
full=$("$B/driver" frame " Minutes " -- "$FK" --db "$DB" --config /dev/null meeting --week "$THIS_WEEK") ||
	die "the long meeting never showed"
idle=$("$B/driver" type " Minutes " "$CHARS" "" -- "$FK" --db "$DB" --config /dev/null \
	meeting --week "$THIS_WEEK") || die "typing in the meeting failed"
"$B/driver" tracker "$DELAY_MS" >"$WORK/tracker.url" 2>"$WORK/tracker.log" &
tracker_pid=$!
i=0
while [ ! -s "$WORK/tracker.url" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$WORK/tracker.url" ] || die "the fake tracker did not start"
cat >"$WORK/tracker.ini" <<INI
[tracker]
default = github
[github]
url = $(cat "$WORK/tracker.url")
repo = acme/pay
INI
: >"$WORK/tickets.txt"
i=1
while [ "$i" -le "$TICKETS" ]; do echo "/ticket $i" >>"$WORK/tickets.txt"; i=$((i + 1)); done
busy=$(GITHUB_TOKEN=bench-token "$B/driver" type " Minutes " "$CHARS" "$WORK/tickets.txt" -- \
	"$FK" --db "$DB" --config "$WORK/tracker.ini" meeting --week "$THIS_WEEK")
kill "$tracker_pid" 2>/dev/null
wait "$tracker_pid" 2>/dev/null
[ -n "$busy" ] || die "typing while filing tickets failed"
outbox=$(sqlite3 "$DB" "SELECT count(*) || ' queued, ' || count(ticket_key) || ' filed' FROM ticket_outbox")

# 5. paging a long postmortem: BIG_KB of timeline against 20 KB, each alone
# in a store of its own, opened as the week's first item
# long_pm FILE KB: a postmortem of about KB kilobytes
long_pm() {
	awk -v kb="$2" -v today="$TODAY" 'BEGIN {
		printf "---\nid: pm-long\ntitle: \"A long night\"\ndate: %s\nseverity: SEV2\nstatus: ready\n---\n\n", today
		printf "# A long night\n\n## Summary\n\nThe queue backed up.\n\n## Timeline\n\n"
		for (n = 0; n < kb * 1024; n += length(l) + 1) {
			l = sprintf("- 10:%02d event %d: the consumer fell behind and the backlog grew by %d messages; 遅延が増えた", i % 60, i, (i * 7919) % 10000)
			print l
			i++
		}
	}' >"$1"
}
for size in small big; do
	mkdir -p "$WORK/page-$size"
	long_pm "$WORK/page-$size/pm.md" "$([ "$size" = big ] && echo "$BIG_KB" || echo 20)"
	rm -f "$WORK/page-$size.db"
	"$FK" --db "$WORK/page-$size.db" import "$WORK/page-$size" >/dev/null ||
		die "importing the $size postmortem failed"
done
page_small=$(USER=bench "$B/driver" page "PgUp/PgDn" "$PAGES" -- "$FK" --db "$WORK/page-small.db" \
	--config /dev/null meeting) || die "paging the small postmortem failed"
page_big=$(USER=bench "$B/driver" page "PgUp/PgDn" "$PAGES" -- "$FK" --db "$WORK/page-big.db" \
	--config /dev/null meeting) || die "paging the long postmortem failed"

# 6. typing with the chat on: the long postmortem on screen while the chat
# worker polls, posts and backs off against a Slack answering after DELAY_MS
"$B/driver" chat "$DELAY_MS" >"$WORK/chat.url" 2>"$WORK/chat.log" &
chat_pid=$!
i=0
while [ ! -s "$WORK/chat.url" ] && [ "$i" -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
[ -s "$WORK/chat.url" ] || die "the fake chat did not start"
printf '[chat]\nservice = slack\nchannel = #postmortems\nurl = %s\npoll_seconds = 1\n' \
	"$(cat "$WORK/chat.url")" >"$WORK/chat.ini"
chmod 600 "$WORK/chat.ini"
# a store of its own: the paging above confirmed its meeting's facilitator
rm -f "$WORK/page-chat.db"
"$FK" --db "$WORK/page-chat.db" import "$WORK/page-big" >/dev/null || die "importing the long postmortem failed"
chat=$(USER=bench SLACK_BOT_TOKEN=xoxb-test "$B/driver" confirm-type "PgUp/PgDn" "$CHARS" -- \
	"$FK" --db "$WORK/page-chat.db" --config "$WORK/chat.ini" meeting)
kill "$chat_pid" 2>/dev/null
wait "$chat_pid" 2>/dev/null
[ -n "$chat" ] || die "typing with the chat on failed"

echo
row "figure" "furikaeri" "baseline" "ratio" "target" ""
row "------" "---------" "--------" "-----" "------" ""
v=$(val "$first" ms); b=$(val "$base" ms); r=$(ratio "$v" "$b")
row "import $N postmortems (ms)" "$v" "$b" "${r}x" "<= 1.5x" "$(verdict "$r" "<=" 1.5)"
b=$(val "$base_pf" ms); r=$(ratio "$v" "$b")
row "  against a floor committing per file" "$v" "$b" "${r}x" "" ""
a=$(val "$again" ms); r=$(ratio "$a" "$v")
row "re-import, unchanged (ms; vs import)" "$a" "$v" "${r}x" "<= 0.1x" "$(verdict "$r" "<=" 0.1)"
v=$(val "$fk_q" median_ms); b=$(val "$grep_q" median_ms); r=$(ratio "$b" "$v")
row "search CLI, median per query (ms)" "$v" "$b" "${r}x" ">= 25x" "$(verdict "$r" ">=" 25)"
v=$(val "$fk_q" p95_ms); b=$(val "$grep_q" p95_ms); r=$(ratio "$b" "$v")
row "search CLI, p95 per query (ms)" "$v" "$b" "${r}x" ">= 25x" "$(verdict "$r" ">=" 25)"
v=$(val "$inproc" median_ms); b=$(val "$grep_q" median_ms); r=$(ratio "$b" "$v")
row "search in-process, median (ms)" "$v" "$b" "${r}x" ">= 100x" "$(verdict "$r" ">=" 100)"
v=$(val "$inproc" p95_ms); b=$(val "$grep_q" p95_ms); r=$(ratio "$b" "$v")
row "search in-process, p95 (ms)" "$v" "$b" "${r}x" ">= 100x" "$(verdict "$r" ">=" 100)"
r=$(ratio "$frame_ms" "$sqlite_ms")
row "first frame, median of $RUNS (ms)" "$frame_ms" "$sqlite_ms" "${r}x" "<= 0.5x" "$(verdict "$r" "<=" 0.5)"
v=$(val "$idle" bytes_per_char); b=$(val "$full" bytes); r=$(ratio "$v" "$b")
row "bytes written per typed char" "$v" "$b" "${r}x" "" ""
v=$(val "$busy" median_ms); b=$(val "$idle" median_ms); r=$(ratio "$v" "$b")
row "key to echo while filing, median (ms)" "$v" "$b" "${r}x" "" ""
v=$(val "$busy" p95_ms); b=$(val "$idle" p95_ms); r=$(ratio "$v" "$b")
row "key to echo while filing, p95 (ms)" "$v" "$b" "${r}x" "" ""
row "key to echo while filing, max (ms)" "$(val "$busy" max_ms)" "$DELAY_MS" \
	"$(ratio "$(val "$busy" max_ms)" "$DELAY_MS")x" "<= 0.5x" \
	"$(verdict "$(ratio "$(val "$busy" max_ms)" "$DELAY_MS")" "<=" 0.5)"
row "key to echo with the chat on, median (ms)" "$(val "$chat" median_ms)" "$(val "$idle" median_ms)" \
	"$(ratio "$(val "$chat" median_ms)" "$(val "$idle" median_ms)")x" "" ""
row "key to echo with the chat on, max (ms)" "$(val "$chat" max_ms)" "$DELAY_MS" \
	"$(ratio "$(val "$chat" max_ms)" "$DELAY_MS")x" "<= 0.5x" \
	"$(verdict "$(ratio "$(val "$chat" max_ms)" "$DELAY_MS")" "<=" 0.5)"
v=$(val "$page_big" median_ms); b=$(val "$page_small" median_ms); r=$(ratio "$v" "$b")
row "PgDn, $BIG_KB KB vs 20 KB, median (ms)" "$v" "$b" "${r}x" "< 10 ms" "$(verdict "$v" "<=" 10)"
v=$(val "$page_big" max_ms); b=$(val "$page_small" max_ms); r=$(ratio "$v" "$b")
row "PgDn, $BIG_KB KB vs 20 KB, max (ms)" "$v" "$b" "${r}x" "" ""
v=$(val "$page_big" echo_ms); b=$(val "$page_small" echo_ms); r=$(ratio "$v" "$b")
row "key after $PAGES PgDn to echo (ms)" "$v" "$b" "${r}x" "" ""
v=$(val "$first" rss_kb); b=$(val "$base" rss_kb)
row "peak memory, import" "$(mb "$v")" "$(mb "$b")" "$(ratio "$v" "$b")x" "" ""
v=$(val "$fk_q" rss_kb); b=$(val "$grep_q" rss_kb)
row "peak memory, search" "$(mb "$v")" "$(mb "$b")" "$(ratio "$v" "$b")x" "" ""
v=$(val "$busy" rss_kb); b=$sqlite_rss
row "peak memory, meeting (vs sqlite3)" "$(mb "$v")" "$(mb "$b")" "$(ratio "$v" "$b")x" "<= 12 MB" \
	"$(verdict "$v" "<=" 12288)"
echo
echo "import baseline: $B/baseline_import (md4c + one SQLite transaction); search baseline:" \
	"grep -rlF over the same files; first frame baseline: sqlite3 -batch running" \
	"tests/bench/agenda.sql on the same database (agenda of $NEXT_WEEK: $ready items)."
echo "bytes per char: baseline is one full frame of the long meeting ($(val "$full" bytes) bytes);" \
	"latency: idle meeting vs the same typing while $TICKETS tickets go to a tracker" \
	"answering after $DELAY_MS ms (outbox: $outbox; $(tail -1 "$WORK/tracker.log" | sed 's/^driver: //'))."
echo "paging: a postmortem of $BIG_KB KB (its timeline) against one of 20 KB, each the first item" \
	"of a meeting of its own at 120x36; a page is timed from PgDn to its last byte;" \
	"the echo from $PAGES PgDn sent at once with a letter to that letter."
echo "search: furikaeri returns the best 10 matches of each query ($(val "$inproc" hits) rows in all); a CLI query's time (either side)" \
	"is the least of $ROUNDS runs; in process the store is opened once (in $(val "$inproc" open_ms) ms)" \
	"and each query runs once; the CLI adds a process start, the store open and JSON output."
echo "chat: the $BIG_KB KB postmortem on screen while the chat worker polls every second and" \
	"posts against a Slack answering every request after $DELAY_MS ms, its first posts" \
	"refused (429, rate_limited) so that it backs off ($(tail -1 "$WORK/chat.log" | sed 's/^driver: //'))."
misses=$(grep -c ' MISS$' "$WORK/table")
if [ "$misses" -gt 0 ]; then
	echo "bench: $misses figure(s) missed their target" >&2
	exit 1
fi
