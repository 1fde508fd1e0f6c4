#!/bin/sh
# Imports the fixture archive (tests/fixtures/archive) with a furikaeri
# binary and scores what it read against tests/fixtures/archive-expected.json,
# field by field: titles, dates, sections, measures (title, owner, due and
# ticket all right), not-adopted measures, and whether templates, files
# that are not postmortems and refused files were kept out of `list`.
#
#   sh tests/archive_score.sh BINARY [--strict]
#
# Prints one table row. Uses only import, list and show, so an older
# binary can be scored the same way (the closing note's BEFORE column).
# --strict prints every mismatch and exits 1 when there is any.
set -u
bin=$1
strict=${2:-}
src=$(cd "$(dirname "$0")/.." && pwd)
expected=$src/tests/fixtures/archive-expected.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -R "$src/tests/fixtures/archive" "$tmp/archive"
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
	[.files | to_entries[] | .key as $key | .value as $e | pick($key; $e) as $pm
	 | if $e.kind == "postmortem" then
		{key: $key, kind: "postmortem",
		 title: ($pm != null and $pm.title == $e.title),
		 date: ($pm != null and $pm.date == $e.date),
		 sections: ($pm != null and (($pm.sections // {}) | keys | sort) == ($e.sections | sort)),
		 m_total: ($e.measures | length),
		 m_ok: (if $pm == null then 0 else
			([$pm.measures[] | select(.status != "not_doing") | mkey]) as $got
			| [$e.measures[] | mkey | select(. as $m | $got | index($m))] | length end),
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
	| (if $strict == "--strict" then
		($p[] | select((.title and .date and .sections and .m_ok == .m_total and .n_ok == .n_total) | not)
		 | "MISMATCH \(.key): title \(.title) date \(.date) sections \(.sections) measures \(.m_ok)/\(.m_total) not-adopted \(.n_ok)/\(.n_total); read as \(.got | tojson)"),
		($o[] | select(.kept_out | not) | "MISMATCH \(.key): a \(.kind) file is listed as a postmortem")
	  else empty end),
	"files \($r | length) | titles \([$p[] | select(.title)] | length)/\($p | length) | dates \([$p[] | select(.date)] | length)/\($p | length) | sections \([$p[] | select(.sections)] | length)/\($p | length) | measures \([$p[].m_ok] | add)/\([$p[].m_total] | add) | not-adopted \([$p[].n_ok] | add)/\([$p[].n_total] | add) | kept out of list \([$o[] | select(.kept_out)] | length)/\($o | length)"
' "$expected" >"$tmp/score.txt"
cat "$tmp/score.txt"
if [ "$strict" = --strict ] && grep -q '^MISMATCH' "$tmp/score.txt"; then
	exit 1
fi
exit 0
