#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/headings.h"
#include "furikaeri/import_issue.h"
#include "furikaeri/md_adf.h"
#include "furikaeri/md_form.h"
#include "furikaeri/md_wiki.h"
#include "furikaeri/import.h"
#include "fuzz.h"

/* What a tracker sends as a postmortem: the bytes as an Atlassian
 * document, as wiki markup, as an issue-form body, and as a GitHub and a
 * Jira issue (Cloud and Data Center) through the whole mapping. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct headings *h;
	char *err = NULL, *s = fuzz_string(data, size);
	struct postmortem *pm;

	if (h == NULL) {
		const char *dirs[] = { FK_SRCDIR "/data/headings" };

		h = headings_load(dirs, 1, &err);
		if (h == NULL)
			abort();
	}
	free(md_adf_convert((const char *)data, size, "fuzz", &err));
	free(err);
	err = NULL;
	free(md_wiki_convert(s));
	if (md_form_detect(s))
		free(md_form_normalise(s, import_md_is_meta));
	struct import_issue_options o = { .jira_site = "https://x.example", .jira_api = 3,
					  .measure_link = "causes", .severity_field = "customfield_1" };
	pm = import_issue_github((const char *)data, size, "acme/pay", s, h, &o, &err);
	postmortem_free(pm);
	free(err);
	err = NULL;
	pm = import_issue_jira((const char *)data, size, h, &o, &err);
	postmortem_free(pm);
	free(err);
	err = NULL;
	o.jira_api = 2;
	pm = import_issue_jira((const char *)data, size, h, &o, &err);
	postmortem_free(pm);
	free(err);
	free(s);
	return 0;
}
