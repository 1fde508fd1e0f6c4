#!/bin/sh
# furikaeri import gdocs:FOLDER_ID against the fake Drive (tests/fake_drive_server,
# a folder on disk): three Docs over two pages, one whose export fails and
# is asked for again, one changed between two imports, the token from a
# command and never in the log, an expired token, and doctor.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/fk.db
CFG=$SCRATCH/config.ini
DRIVE=$SCRATCH/drive
FOLDER=1PmFolder_cli-9
TOKEN=ya29.cli_gdocs_0123456789
mkdir -p "$DRIVE"

serve "$SCRATCH/url" "$FK_BUILDDIR/tests/fake_drive_server" "$DRIVE" "$FOLDER" "$TOKEN" || finish
server_pid=$served_pid
trap 'kill "$server_pid" 2>/dev/null; rm -rf "$SCRATCH"' EXIT
URL=$(cat "$SCRATCH/url")

# The token comes from a command run without a shell.
printf '#!/bin/sh\necho %s\n' "$TOKEN" >"$SCRATCH/print-token"
printf '#!/bin/sh\necho ya29.expired\n' >"$SCRATCH/old-token"
chmod 700 "$SCRATCH/print-token" "$SCRATCH/old-token"
printf '[gdocs]\nurl = %s\ntoken_command = %s\n[sources]\ndocs = gdocs:%s\n' \
	"$URL" "$SCRATCH/print-token" "$FOLDER" >"$CFG"

# doc ID NAME TEXT: a Doc in the folder, last modified an hour ago
doc() {
	printf '%s\n' "$3" >"$DRIVE/$1.md"
	printf '%s\n' "$2" >"$DRIVE/$1.name"
	touch -d '1 hour ago' "$DRIVE/$1.md"
}
doc docA "PM-031 Payment timeouts" "# Payment API timeouts

**Date:** 2026-11-27
**Severity:** SEV2

## Summary

Checkout failed for 37 minutes.

## Prevention measures

- [ ] Add jitter to retries (Owner: Aoi)"
doc docB "Search outage" "Search was down after the index rebuild.

## Timeline

- 10:02 alert"
doc docC "CS macro misfire" "## Summary

Macros were sent twice."
echo 403 >"$DRIVE/docC.fail"

export FURIKAERI_LOG=$SCRATCH/fk.log
run "$FK" -v --db "$DB" --config "$CFG" import
assert_eq "first import: one Doc failed" 1 "$rc"
assert_eq "first import summary" "added 2, updated 0, unchanged 0, failed 1" "$out"
assert_contains "the failed Doc named with its URL and the answer" \
	"https://docs.google.com/document/d/docC/edit?usp=drivesdk (CS macro misfire): GET /drive/v3/files/docC/export?mimeType=text%2Fmarkdown: Google Drive answered 403" "$errout"
# two pages of the listing and three exports
assert_contains "per-source line" "gdocs:$FOLDER: added 2, updated 0, unchanged 0, failed 1, gone 0, waiting 1; 5 requests in" "$errout"
assert_eq "rows in the store" "docA|Payment API timeouts|2026-11-27|https://docs.google.com/document/d/docA/edit?usp=drivesdk
docB|Search outage|2026-11-20|https://docs.google.com/document/d/docB/edit?usp=drivesdk" \
	"$(sqlite3 "$DB" "SELECT id, title, date, source FROM postmortems ORDER BY id")"
assert_eq "the source is recorded" 1 "$(sqlite3 "$DB" "SELECT count(*) FROM import_sources WHERE spec = 'gdocs:$FOLDER'")"
assert_contains "the log has the requests" "/drive/v3/files?q=" "$(cat "$SCRATCH/fk.log")"
case $(cat "$SCRATCH/fk.log") in
*"$TOKEN"*) fail "the token is in the log" ;;
esac

# An edit to docA; docB untouched; docC asked for again by itself.
printf '\n## Root cause\n\nA retry storm.\n' >>"$DRIVE/docA.md"
run "$FK" --db "$DB" --config "$CFG" import
assert_eq "second import exit status" 0 "$rc"
assert_eq "second import summary" "added 1, updated 1, unchanged 0, failed 0" "$out"
assert_contains "second per-source line" "gdocs:$FOLDER: added 1, updated 1, unchanged 0, failed 0, gone 0, waiting 0" "$errout"
assert_eq "three postmortems" 3 "$(sqlite3 "$DB" 'SELECT count(*) FROM postmortems')"
run "$FK" --db "$DB" show docA
assert_contains "the edit is in" "A retry storm." "$out"
run "$FK" --db "$DB" list
assert_contains "the retried Doc is listed" "CS macro misfire" "$out"

# --check --full: every Doc read again and shown, nothing changed.
before=$(sqlite3 "$DB" "SELECT last_import FROM import_sources")
run "$FK" --db "$DB" --config "$CFG" import --check --full "gdocs:$FOLDER"
assert_eq "check exit status" 0 "$rc"
assert_contains "check shows a Doc" "docA  2026-11-27  SEV2" "$out"
assert_contains "check summary" "read 3, failed 0; nothing was changed" "$out"
assert_eq "check keeps the import time" "$before" "$(sqlite3 "$DB" "SELECT last_import FROM import_sources")"

# An expired token: the request, the status and what to do; exit 5.
sed -i "s|$SCRATCH/print-token|$SCRATCH/old-token|" "$CFG"
run "$FK" --db "$DB" --config "$CFG" import "gdocs:$FOLDER"
assert_eq "expired token exit status" 5 "$rc"
assert_contains "expired token named" "Google Drive answered 401" "$errout"
assert_contains "expired token: what to do" "get a new one with gcloud auth print-access-token" "$errout"

# doctor: the token and the folder.
sed -i "s|$SCRATCH/old-token|$SCRATCH/print-token|" "$CFG"
run "$FK" --db "$DB" --config "$CFG" doctor
assert_contains "doctor: the token" "ok   Google Docs: the token authenticates as aoi@example.com" "$out"
assert_contains "doctor: the folder" "ok   Google Docs: folder $FOLDER (Postmortems) is readable" "$out"

finish
