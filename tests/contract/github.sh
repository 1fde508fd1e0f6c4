#!/bin/bash
# Every request the ticket client makes to GitHub passes Prism's validation
# against GitHub's own OpenAPI description, and a wrong one does not.
set -u
. "${FK_SRCDIR:?}/tests/contract/prism.sh"
# --errors: a mock answer that breaks its own schema becomes a 500, so the
# client also meets only answers GitHub's description allows.
prism_start github "$specs/github-api.json" --errors || exit 99
"$client" github "http://127.0.0.1:$port"
