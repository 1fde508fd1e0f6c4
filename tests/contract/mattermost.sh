#!/bin/bash
# Every request the chat client makes to Mattermost passes Prism's
# validation against Mattermost's REST v4 description, and wrong ones do not.
set -u
. "${FK_SRCDIR:?}/tests/contract/prism.sh"
prism_start mattermost "$specs/mattermost-api-v4.json" --errors || exit 99
"${FK_BUILDDIR:?}/tests/contract_chat" mattermost "http://127.0.0.1:$port"
