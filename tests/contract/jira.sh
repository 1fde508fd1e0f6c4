#!/bin/bash
# Every request the ticket client makes to Jira Cloud (REST v3) passes
# Prism's validation against Atlassian's description, and wrong ones do not.
set -u
. "${FK_SRCDIR:?}/tests/contract/prism.sh"
# No --errors: the description's own example for create metadata of one
# issue type breaks its schema (fields[].schema missing), which --errors
# would turn into a 500 although our request is valid. Request validation
# (400/422 with sl-violations, 401) works either way.
prism_start jira "$specs/jira-platform.v3.json" || exit 99
"$client" jira "http://127.0.0.1:$port"
