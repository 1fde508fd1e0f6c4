#!/bin/bash
# Every request an import from Google Docs (gdocs:FOLDER_ID) and its doctor
# make passes Prism's validation against Google Drive v3's OpenAPI
# description, and wrong ones do not.
set -u
. "${FK_SRCDIR:?}/tests/contract/prism.sh"
prism_start gdrive "$specs/google-drive-v3-openapi.yaml" || exit 99
"${FK_BUILDDIR:?}/tests/contract_source" gdocs "http://127.0.0.1:$port"
status=$?
exit $status
