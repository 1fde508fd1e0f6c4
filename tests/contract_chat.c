#include "config.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../src/chat_private.h"
#include "furikaeri/config.h"
#include "furikaeri/http.h"
#include "furikaeri/xalloc.h"

/* Makes every request the Slack client makes against a validating Prism
 * mock of Slack's Web API (tests/contract/slack.sh), then requests that
 * break the description, which Prism must refuse. Prints one line per call
 * and exits 1 when any valid call was refused or any wrong one accepted.
 * Prism keeps no state and never answers ok:false, so this checks the
 * requests' shape; behaviour is tested against tests/fake/fake_chat.c.
 * The same for Mattermost's REST v4 description (unpatched).
 * Usage: contract_chat slack|mattermost BASE_URL */

static int failures;

static void
report(enum chat_call r, const char *what, char **err)
{
	printf("%s %s%s%s\n", r == CHAT_CALL_OK ? "ok" : "FAIL", what,
	       r == CHAT_CALL_OK ? "" : ": ", r == CHAT_CALL_OK ? "" : (*err ? *err : "?"));
	if (r != CHAT_CALL_OK)
		failures++;
	free(*err);
	*err = NULL;
}

/* A raw request that breaks the description: Prism must answer 4xx. */
static void
expect_refused(const char *base, const char *method, const char *path, const char *auth,
	       const char *body, const char *what)
{
	struct http_client *c = http_client_new(NULL, NULL);
	char *url = xasprintf("%s/%s", base, path);
	const char *headers[] = { "Content-Type: application/x-www-form-urlencoded", auth, NULL };
	struct http_response resp;
	char *err = NULL;
	enum http_error e = http_perform(c, &(struct http_request){
		.method = method, .url = url, .headers = headers, .body = body }, &resp, &err);
	bool ok = e == HTTP_OK && resp.status >= 400 && resp.status < 500;

	printf("%s %s: %s %s answered %ld\n", ok ? "ok" : "FAIL", what, method, path, resp.status);
	failures += !ok;
	http_response_release(&resp);
	free(err);
	free(url);
	http_client_free(c);
}

/* Whether Prism found nothing wrong with the request itself: its
 * violations (if any) are all in its own mock answer. */
static bool
request_valid(const char *base, const char *path)
{
	struct http_client *c = http_client_new(NULL, NULL);
	char *url = xasprintf("%s/%s", base, path);
	const char *headers[] = { "Authorization: Bearer xoxb-contract-test", NULL };
	struct http_response resp;
	char *err = NULL;
	enum http_error e = http_perform(c, &(struct http_request){
		.method = "GET", .url = url, .headers = headers }, &resp, &err);
	json_t *j = e == HTTP_OK ? json_loads(resp.body, 0, NULL) : NULL, *v;
	bool ok = e == HTTP_OK && resp.status < 400;
	size_t i;

	if (!ok && resp.status == 500 && json_is_array(json_object_get(j, "validation"))) {
		ok = true;
		json_array_foreach(json_object_get(j, "validation"), i, v) {
			const char *where = json_string_value(json_array_get(
				json_object_get(v, "location"), 0));

			if (where == NULL || strcmp(where, "response") != 0)
				ok = false;
		}
	}
	json_decref(j);
	http_response_release(&resp);
	free(err);
	free(url);
	http_client_free(c);
	return ok;
}

static int
mattermost(const char *base)
{
	char *text, *err = NULL, *id = NULL, *name = NULL, *ref = NULL;
	const char *ch = "pm000000000000000000000000", *post = "p0000000000000000000000001";
	struct config *cfg;
	struct chat *c;
	struct chat_msgs msgs;
	long wait;

	setenv("MATTERMOST_TOKEN", "mm-contract-test", 1);
	text = xasprintf("[chat]\nservice = mattermost\nchannel = #postmortems\nurl = %s/\n", base);
	cfg = config_parse(text, "contract.ini", &err);
	free(text);
	if (cfg == NULL || (c = chat_new(cfg, NULL, &(struct chat_options){ 0 }, &err)) == NULL) {
		fprintf(stderr, "contract_chat: %s\n", err);
		return 99;
	}
	report(chat_mattermost_ops.auth(c, &id, &name, &err), "GET /api/v4/users/me", &err);
	free(id);
	free(name);
	report(chat_mattermost_ops.by_email(c, "aoi@acme.example", &id, &name, &err),
	       "GET /api/v4/users/email/{email}", &err);
	free(id);
	free(name);
	report(chat_mattermost_ops.channel(c, "#postmortems", &id, &err),
	       "GET /api/v4/users/me/teams, /api/v4/teams/{team_id}/channels/name/{name}, "
	       "/api/v4/channels/{id}/members/me", &err);
	free(id);
	report(chat_mattermost_ops.channel(c, ch, &id, &err), "GET /api/v4/channels/{id}", &err);
	free(id);
	report(chat_mattermost_ops.post(c, ch, NULL, "PM\\-031", "fk-0001", &ref, &wait, &err),
	       "POST /api/v4/posts (root: channel_id, message, pending_post_id, props)", &err);
	free(ref);
	report(chat_mattermost_ops.post(c, ch, post, "Decision: x", "fk-0002", &ref, &wait, &err),
	       "POST /api/v4/posts (reply: root_id)", &err);
	free(ref);
	report(chat_mattermost_ops.update(c, ch, post, "Decision: edited", &wait, &err),
	       "PUT /api/v4/posts/{id}/patch", &err);
	report(chat_mattermost_ops.ephemeral(c, ch, post, "mei00000000000000000000000",
					     "Only the facilitator \\(Aoi\\) can agree", &wait, &err),
	       "POST /api/v4/posts/ephemeral (user_id, post: channel_id, message, root_id)", &err);
	report(chat_mattermost_ops.thread(c, ch, post, NULL, &msgs, &wait, &err),
	       "GET /api/v4/posts/{id}/thread (perPage, direction)", &err);
	chat_msgs_free(&msgs);
	report(chat_mattermost_ops.recent(c, ch, 1764583200, &msgs, &wait, &err),
	       "GET /api/v4/channels/{id}/posts (since)", &err);
	chat_msgs_free(&msgs);
	/* which threads changed: every post modified since, with root_id */
	report(chat_mattermost_ops.activity(c, ch, post, 1764583200000LL, &msgs, &wait, &err),
	       "GET /api/v4/channels/{id}/posts?since= (the threads that changed)", &err);
	chat_msgs_free(&msgs);
	report(chat_mattermost_ops.user_name(c, "aoi00000000000000000000000", &name, &err),
	       "GET /api/v4/users/{id}", &err);
	free(name);
	{
		struct http_client *h = http_client_new(NULL, NULL);
		char *url = xasprintf("%s/api/v4/posts", base);
		const char *headers[] = { "Content-Type: application/json",
					  "Authorization: Bearer x", NULL };
		struct http_response resp;
		enum http_error e = http_perform(h, &(struct http_request){
			.method = "POST", .url = url, .headers = headers,
			.body = "{\"message\": \"no channel\"}" }, &resp, &err);
		bool ok = e == HTTP_OK && resp.status >= 400 && resp.status < 500;

		printf("%s wrong request refused: POST /api/v4/posts without channel_id: %ld\n",
		       ok ? "ok" : "FAIL", resp.status);
		failures += !ok;
		http_response_release(&resp);
		free(err);
		err = NULL;
		free(url);
		url = xasprintf("%s/api/v4/users/me", base);
		e = http_perform(h, &(struct http_request){ .method = "GET", .url = url },
				 &resp, &err);
		ok = e == HTTP_OK && resp.status == 401;
		printf("%s wrong request refused: GET /api/v4/users/me without Authorization: %ld\n",
		       ok ? "ok" : "FAIL", resp.status);
		failures += !ok;
		http_response_release(&resp);
		free(err);
		free(url);
		http_client_free(h);
	}
	chat_free(c);
	config_free(cfg);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}

int
main(int argc, char **argv)
{
	char *text, *err = NULL, *id = NULL, *name = NULL, *ref = NULL;
	struct config *cfg;
	struct chat *c;
	struct chat_msgs msgs;
	long wait;

	if (argc != 3 || (strcmp(argv[1], "slack") != 0 && strcmp(argv[1], "mattermost") != 0)) {
		fprintf(stderr, "usage: contract_chat slack|mattermost BASE_URL\n");
		return 99;
	}
	if (strcmp(argv[1], "mattermost") == 0)
		return mattermost(argv[2]);
	argv++;
	setenv("SLACK_BOT_TOKEN", "xoxb-contract-test", 1);
	text = xasprintf("[chat]\nservice = slack\nchannel = #postmortems\nurl = %s/\n", argv[1]);
	cfg = config_parse(text, "contract.ini", &err);
	free(text);
	if (cfg == NULL || (c = chat_new(cfg, NULL, &(struct chat_options){ 0 }, &err)) == NULL) {
		fprintf(stderr, "contract_chat: %s\n", err);
		return 99;
	}

	report(chat_slack_ops.auth(c, &id, &name, &err), "auth.test", &err);
	free(id);
	free(name);
	/* a name from Prism's example, so the lookup ends on its first page */
	report(chat_slack_ops.channel(c, "#general", &id, &err),
	       "conversations.list (types, exclude_archived, limit)", &err);
	free(id);
	report(chat_slack_ops.channel(c, "C0123456789", &id, &err), "conversations.info", &err);
	free(id);
	report(chat_slack_ops.post(c, "C0123456789", NULL, "PM-031 &lt;SEV2&gt;", "fk-0001", &ref,
				   &wait, &err),
	       "chat.postMessage (root: channel, text, metadata, unfurl_links)", &err);
	free(ref);
	report(chat_slack_ops.post(c, "C0123456789", "1764583200.000100", "Decision: roll back",
				   "fk-0002", &ref, &wait, &err),
	       "chat.postMessage (reply: thread_ts)", &err);
	free(ref);
	report(chat_slack_ops.update(c, "C0123456789", "1764583200.000200", "Decision: edited",
				     &wait, &err), "chat.update (channel, ts, text)", &err);
	report(chat_slack_ops.ephemeral(c, "C0123456789", "1764583200.000100", "U03MEI",
					"Only the facilitator (Aoi) can agree", &wait, &err),
	       "chat.postEphemeral (channel, user, text, thread_ts)", &err);
	report(chat_slack_ops.thread(c, "C0123456789", "1764583200.000100", "1764583200.000300",
				     &msgs, &wait, &err),
	       "conversations.replies (channel, ts, oldest, limit, include_all_metadata)", &err);
	chat_msgs_free(&msgs);
	/* Slack's description requires channel_actions_ts in its answer, which
	 * its own example lacks: Prism refuses its own answer (500, violations
	 * in "response"), so the request is checked on its own. */
	if (chat_slack_ops.recent(c, "C0123456789", 1764583200, &msgs, &wait, &err) == CHAT_CALL_OK ||
	    request_valid(argv[1], "conversations.history?channel=C0123456789"
			  "&oldest=1764583200.000000&limit=200&include_all_metadata=true")) {
		printf("ok conversations.history (channel, oldest, limit, include_all_metadata)\n");
		free(err);
		err = NULL;
	} else {
		report(CHAT_CALL_REFUSED, "conversations.history", &err);
	}
	chat_msgs_free(&msgs);
	/* which threads changed: the parents from the first root on, each with
	 * latest_reply and reply_count (the same answer Prism refuses) */
	if (chat_slack_ops.activity(c, "C0123456789", "1764583200.000100", 0, &msgs, &wait,
				    &err) == CHAT_CALL_OK ||
	    request_valid(argv[1], "conversations.history?channel=C0123456789"
			  "&oldest=1764583200.000100&inclusive=true&limit=200")) {
		printf("ok conversations.history (channel, oldest, inclusive, limit: the threads "
		       "that changed)\n");
		free(err);
		err = NULL;
	} else {
		report(CHAT_CALL_REFUSED, "conversations.history (inclusive)", &err);
	}
	chat_msgs_free(&msgs);
	expect_refused(argv[1], "GET", "conversations.history?channel=C0123456789&inclusive=maybe",
		       "Authorization: Bearer xoxb-x", NULL,
		       "wrong request refused: conversations.history with inclusive=maybe");
	report(chat_slack_ops.user_name(c, "U01AOI", &name, &err), "users.info (user)", &err);
	free(name);
	report(chat_slack_ops.by_email(c, "aoi@acme.example", &id, &name, &err),
	       "users.lookupByEmail (email)", &err);
	free(id);
	free(name);

	expect_refused(argv[1], "POST", "chat.postMessage", "Authorization: Bearer xoxb-x",
		       "text=no+channel", "wrong request refused: chat.postMessage without channel");
	expect_refused(argv[1], "GET", "conversations.replies?channel=C0123456789&ts=1&limit=abc",
		       "Authorization: Bearer xoxb-x", NULL,
		       "wrong request refused: conversations.replies with limit=abc");
	expect_refused(argv[1], "POST", "chat.postEphemeral", "Authorization: Bearer xoxb-x",
		       "channel=C0123456789&text=no+user",
		       "wrong request refused: chat.postEphemeral without user");
	expect_refused(argv[1], "GET", "auth.test", NULL, NULL,
		       "wrong request refused: auth.test without Authorization");
	chat_free(c);
	config_free(cfg);
	printf("%d failed\n", failures);
	return failures ? 1 : 0;
}
