#!/bin/bash
# Every request the Confluence client makes (import confluence:SPACE, its
# parent, label and retry requests, and new --to confluence's page) passes
# Prism's validation against Confluence's own OpenAPI v2 description, and
# wrong ones do not. Prism serves the description without the site's
# /wiki/api/v2 prefix: tests/contract/confluence_proxy.js stands in front.
set -u
. "${FK_SRCDIR:?}/tests/contract/prism.sh"
# The description's page body is oneOf {representation, value} and
# {storage | atlas_doc_format | wiki: {...}}, neither closed, so every body
# matches both and Prism refuses all of them ("must match exactly one
# schema in oneOf"), the documented form included. Closing both
# (additionalProperties: false) keeps the two forms Atlassian documents and
# makes a wrong key or representation fail; the copy lives beside Prism.
patched=$peers/confluence.json
if [ ! -s "$patched" ] || [ "$specs/confluence-openapi-v2.json" -nt "$patched" ]; then
	node -e 'const fs = require("fs");
		const d = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
		for (const n of ["PageBodyWrite", "PageNestedBodyWrite"])
			d.components.schemas[n].additionalProperties = false;
		fs.writeFileSync(process.argv[2], JSON.stringify(d));' \
		"$specs/confluence-openapi-v2.json" "$patched.tmp.$$" && mv "$patched.tmp.$$" "$patched" ||
		exit 99
fi
prism_start confluence "$patched" --errors || exit 99
proxy_log=$(mktemp "${TMPDIR:-/tmp}/fk-confluence-proxy.XXXXXX")
node "${FK_SRCDIR:?}/tests/contract/confluence_proxy.js" "$port" >"$proxy_log" 2>&1 &
proxy_pid=$!
trap 'kill "$prism_pid" "$proxy_pid" 2>/dev/null; wait "$prism_pid" "$proxy_pid" 2>/dev/null; rm -f "$log" "$proxy_log"' EXIT
for _ in $(seq 1 50); do
	proxy_port=$(head -n 1 "$proxy_log")
	[ -n "$proxy_port" ] && break
	sleep 0.1
done
if [ -z "$proxy_port" ]; then
	echo "ERROR: the proxy in front of Prism did not start: $(cat "$proxy_log")"
	exit 99
fi
"${FK_BUILDDIR:?}/tests/contract_source" confluence "http://127.0.0.1:$proxy_port" \
	"http://127.0.0.1:$port"
