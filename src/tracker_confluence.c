#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"
#include "tracker_private.h"

/* Confluence Cloud's REST v2 (/wiki/api/v2), Basic email:token as Jira
 * Cloud: the client the Confluence source reads pages with. */

static const char *const confluence_headers[] = {
	"Accept: application/json",
	NULL,
};

/* v2 answers errors as {"errors": [{"status", "code", "title", "detail"}]};
 * some gateways as {"message": ...}. */
static char *
confluence_error_text(json_t *body)
{
	struct strbuf sb = STRBUF_INIT;
	json_t *e;
	size_t i;

	json_array_foreach(json_object_get(body, "errors"), i, e) {
		const char *title = tracker_json_str(e, "title");
		const char *detail = tracker_json_str(e, "detail");
		const char *code = tracker_json_str(e, "code");
		const char *what = detail != NULL ? detail : title != NULL ? title : code;

		if (what != NULL)
			strbuf_addf(&sb, "%s%s", sb.len ? "; " : "", what);
	}
	if (sb.len == 0 && tracker_json_str(body, "message") != NULL)
		strbuf_adds(&sb, tracker_json_str(body, "message"));
	if (sb.len == 0) {
		strbuf_release(&sb);
		return NULL;
	}
	return strbuf_detach(&sb);
}

const struct tracker_ops tracker_confluence_ops = {
	.name = "Confluence",
	.headers = confluence_headers,
	.github_limits = false,
	.error_text = confluence_error_text,
	.lookups_needed = 2,
};
