#!/bin/sh
# Imports an archive with a furikaeri binary and scores what it read against
# the hand-written expectations, field by field: titles, dates, sections,
# measures (title, owner, due and ticket all right), then each measure field
# on its own over the measures whose title was read right (owner, due,
# ticket, status), not-adopted measures, and whether templates, files that
# are not postmortems and refused files were kept out of `list`.
#
#   sh tests/archive_score.sh BINARY [--strict] [--archive DIR --expected FILE]
#
# By default the archive is tests/fixtures/archive and the expectations
# tests/fixtures/archive-expected.json. --archive and --expected score
# another archive the same way (issue 26's untouched corpus of real
# postmortems): DIR is copied, never changed; FILE has the same format,
# and a measure may also say its "status" (open, done or not_doing), which
# is scored only where it is said.
#
# Prints one table row. Uses only import, list and show, so an older
# binary can be scored the same way (the closing note's BEFORE column).
# --strict prints every mismatch and exits 1 when there is any.
set -u
usage() {
	echo "usage: sh tests/archive_score.sh BINARY [--strict] [--archive DIR --expected FILE]" >&2
	exit 2
}
[ $# -ge 1 ] || usage
bin=$1
shift
src=$(cd "$(dirname "$0")/.." && pwd)
strict=
archive=$src/tests/fixtures/archive
expected=$src/tests/fixtures/archive-expected.json
while [ $# -gt 0 ]; do
	case $1 in
	--strict) strict=--strict ;;
	--archive) [ $# -ge 2 ] || usage; archive=$2; shift ;;
	--expected) [ $# -ge 2 ] || usage; expected=$2; shift ;;
	*) usage ;;
	esac
	shift
done
if [ ! -d "$archive" ]; then
	echo "archive_score.sh: $archive: not a folder; give --archive the folder of files to import" >&2
	exit 2
fi
if ! jq -e '.files | type == "object"' "$expected" >/dev/null 2>&1; then
	echo "archive_score.sh: $expected: not an expectations file (JSON with a \"files\" object, as tests/fixtures/archive-expected.json)" >&2
	exit 2
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$archive" "$tmp/archive"
db=$tmp/fk.db
FURIKAERI_DATADIR=${FURIKAERI_DATADIR:-$src/data} "$bin" --db "$db" import "$tmp/archive" \
	>"$tmp/import.out" 2>"$tmp/import.err"
"$bin" --db "$db" list --json >"$tmp/list.json" 2>/dev/null || echo '[]' >"$tmp/list.json"

# what the store holds: file (relative to the archive) -> show --json
: >"$tmp/shown.jsonl"
for id in $(jq -r '.[].id' "$tmp/list.json"); do
	"$bin" --db "$db" show "$id" --json 2>/dev/null | jq -c --arg root "$tmp/archive/" \
		'{file: (.source | ltrimstr($root)), pm: .}' >>"$tmp/shown.jsonl"
done
jq -s '.' "$tmp/shown.jsonl" >"$tmp/shown.json"

jq -r --slurpfile shown "$tmp/shown.json" --arg strict "$strict" '
	def pick($key; $v):
		($key | split("#")) as $k
		| [$shown[0][] | select(.file == $k[0] and (($k | length) == 1 or .pm.id == $k[1]))]
		| .[0].pm;
	def norm: if . == null then "" else . end;
	def mkey: "\(.title)|\(.owner | norm)|\(.due | norm)|\(.ticket | norm)";
	def count(f): [.[] | select(f)] | length;
	# each expected measure (not-adopted ones are scored apart) against the
	# first measure read with the same title, whatever status it was read with
	def fields($pm; $e):
		if $pm == null then [] else
		[$e.measures[] as $x
		 | ([$pm.measures[] | select(.title == $x.title)] | .[0]) as $g
		 | select($g != null)
		 | {owner: (($g.owner | norm) == ($x.owner | norm)),
		    due: (($g.due | norm) == ($x.due | norm)),
		    ticket: (($g.ticket | norm) == ($x.ticket | norm)),
		    said: ($x | has("status")),
		    status: (($x | has("status")) and $g.status == $x.status)}] end;
	def frac($a; $b): "\($a)/\($b)";
	[.files | to_entries[] | .key as $key | .value as $e | pick($key; $e) as $pm
	 | if $e.kind == "postmortem" then
		fields($pm; $e) as $f
		| {key: $key, kind: "postmortem",
		 title: ($pm != null and $pm.title == $e.title),
		 date: ($pm != null and $pm.date == $e.date),
		 sections: ($pm != null and (($pm.sections // {}) | keys | sort) == ($e.sections | sort)),
		 m_total: ($e.measures | length),
		 m_ok: (if $pm == null then 0 else
			([$pm.measures[] | select(.status != "not_doing") | mkey]) as $got
			| [$e.measures[] | mkey | select(. as $m | $got | index($m))] | length end),
		 f_n: ($f | length), f_owner: ($f | count(.owner)), f_due: ($f | count(.due)),
		 f_ticket: ($f | count(.ticket)),
		 s_n: ($f | count(.said)), s_ok: ($f | count(.status)),
		 n_total: ($e.not_doing | length),
		 n_ok: (if $pm == null then 0 else
			([$pm.measures[] | select(.status == "not_doing") | .title]) as $got
			| [$e.not_doing[] | select(. as $t | $got | index($t))] | length end),
		 got: $pm}
	   else
		{key: $key, kind: $e.kind, kept_out: ($pm == null)}
	   end] as $r
	| ($r | map(select(.kind == "postmortem"))) as $p
	| ($r | map(select(.kind != "postmortem"))) as $o
	| def sum(f): [$p[] | f] | add // 0;
	(if $strict == "--strict" then
		($p[] | select((.title and .date and .sections and .m_ok == .m_total and .s_ok == .s_n and .n_ok == .n_total) | not)
		 | "MISMATCH \(.key): title \(.title) date \(.date) sections \(.sections) measures \(.m_ok)/\(.m_total) (of \(.f_n) titles read: owner \(.f_owner) due \(.f_due) ticket \(.f_ticket) status \(.s_ok)/\(.s_n)) not-adopted \(.n_ok)/\(.n_total); read as \(.got | tojson)"),
		($o[] | select(.kept_out | not) | "MISMATCH \(.key): a \(.kind) file is listed as a postmortem")
	  else empty end),
	"files \($r | length) | titles \($p | count(.title))/\($p | length) | dates \($p | count(.date))/\($p | length) | sections \($p | count(.sections))/\($p | length) | measures \(frac(sum(.m_ok); sum(.m_total))) | owner \(frac(sum(.f_owner); sum(.f_n))) | due \(frac(sum(.f_due); sum(.f_n))) | ticket \(frac(sum(.f_ticket); sum(.f_n))) | status \(frac(sum(.s_ok); sum(.s_n))) | not-adopted \(frac(sum(.n_ok); sum(.n_total))) | kept out of list \($o | count(.kept_out))/\($o | length)"
' "$expected" >"$tmp/score.txt"
cat "$tmp/score.txt"
if [ "$strict" = --strict ] && grep -q '^MISMATCH' "$tmp/score.txt"; then
	exit 1
fi
exit 0
