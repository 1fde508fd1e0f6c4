#!/bin/bash
# Every request the chat client makes to Slack passes Prism's validation
# against Slack's own Web API description, and wrong ones do not.
set -u
. "${FK_SRCDIR:?}/tests/contract/prism.sh"
prism_start slack "$specs/slack-web-api.json" --errors || exit 99
"${FK_BUILDDIR:?}/tests/contract_chat" slack "http://127.0.0.1:$port"
