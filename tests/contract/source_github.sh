#!/bin/bash
# Every request an import from GitHub issues makes passes Prism's validation
# against GitHub's own OpenAPI description, and a wrong one does not.
set -u
. "${FK_SRCDIR:?}/tests/contract/prism.sh"
prism_start github "$specs/github-api.json" --errors || exit 99
"${FK_BUILDDIR:?}/tests/contract_source" github "http://127.0.0.1:$port"
