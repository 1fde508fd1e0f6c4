#!/bin/bash
# Every request the ticket client makes to GitLab that GitLab's OpenAPI v2
# description has passes Prism's validation against it, and wrong ones do
# not (the three it lacks are tested against the fake: contract_client.c).
set -u
. "${FK_SRCDIR:?}/tests/contract/prism.sh"
prism_start gitlab "$specs/gitlab-openapi-v2.yaml" --errors || exit 99
"$client" gitlab "http://127.0.0.1:$port"
