#!/bin/sh
# tests/e2e/chat_people.sh through Mattermost's REST v4 shape of the fake chat.
FK_CHAT_SERVICE=mattermost
export FK_CHAT_SERVICE
. "$FK_SRCDIR/tests/e2e/chat_people.sh"
