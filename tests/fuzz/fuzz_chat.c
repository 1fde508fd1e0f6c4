#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/chat_reply.h"
#include "furikaeri/chat_text.h"
#include "furikaeri/text.h"
#include "fuzz.h"

static char *
names(void *ctx, const char *id)
{
	(void)ctx;
	return strcmp(id, "U01AOI") == 0 ? strdup("Aoi") : NULL;
}

/* A reply from the channel, decoded as Slack's and as Mattermost's text
 * and parsed for its kind; and the same bytes escaped for each service
 * come back as they were (after sanitising). */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	char *plain = text_sanitize(s, true);
	char *slack = chat_text_from_slack(s, names, NULL);
	char *mm = chat_text_from_mattermost(s);
	char *esc = chat_text_slack_escape(s), *back = chat_text_from_slack(esc, NULL, NULL);
	char *mesc = chat_text_mattermost_escape(s), *mback = chat_text_from_mattermost(mesc);
	struct chat_reply r;

	if (strcmp(back, plain) != 0 || strcmp(mback, plain) != 0)
		abort();
	chat_reply_parse(slack, &r);
	if (r.text == NULL || r.kind == NULL)
		abort();
	chat_reply_clear(&r);
	chat_reply_parse(mm, &r);
	chat_reply_clear(&r);
	free(s);
	free(plain);
	free(slack);
	free(mm);
	free(esc);
	free(back);
	free(mesc);
	free(mback);
	return 0;
}
