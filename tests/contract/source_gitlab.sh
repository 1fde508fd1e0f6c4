#!/bin/bash
# Every request an import from GitLab issues makes passes Prism's
# validation against GitLab's own OpenAPI v2 description, and wrong ones do
# not.
set -u
. "${FK_SRCDIR:?}/tests/contract/prism.sh"
prism_start gitlab "$specs/gitlab-openapi-v2.yaml" --errors || exit 99
"${FK_BUILDDIR:?}/tests/contract_source" gitlab "http://127.0.0.1:$port"
