#!/bin/bash
# Every request an import from a Jira Cloud search makes passes Prism's
# validation against Jira's own OpenAPI description, and a wrong one does not.
set -u
. "${FK_SRCDIR:?}/tests/contract/prism.sh"
# No --errors, as in jira.sh: some of the description's own examples break
# its schema; request validation works either way.
prism_start jira "$specs/jira-platform.v3.json" || exit 99
"${FK_BUILDDIR:?}/tests/contract_source" jira "http://127.0.0.1:$port"
