#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "furikaeri/postmortem.h"
#include "furikaeri/store.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "fuzz.h"

/* The search: the store's tokenizer over a postmortem's text (as the
 * importer stores it: UTF-8 repaired) and over a query (as typed: any
 * bytes), the ranking and the excerpt. The first line of the input is the
 * query, the rest the text; the text's own first words are searched too.
 * One store for the whole run, closed at exit so that memcheck sees
 * everything freed. */

static struct store *fuzz_store;
static char *fuzz_path;

static void
fuzz_search_close(void)
{
	static const char *const suffix[] = { "", "-wal", "-shm" };

	store_free(fuzz_store);
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		char *p = xasprintf("%s%s", fuzz_path, suffix[i]);
		unlink(p);
		free(p);
	}
	free(fuzz_path);
}

static void
fuzz_search_one(const char *query)
{
	struct store_rows rows;
	char *err = NULL;

	if (store_search(fuzz_store, query, 3, &rows, &err) == 0)
		store_rows_free(&rows);
	free(err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *nl = memchr(data, '\n', size);
	size_t qlen = nl != NULL ? (size_t)(nl - (const char *)data) : size;
	char *query = fuzz_string(data, qlen);
	char *text = text_utf8_repair((const char *)data + qlen, size - qlen);
	struct postmortem *pm = postmortem_new();
	enum store_upsert_result result;
	char *err = NULL;

	if (fuzz_store == NULL) {
		const char *tmp = getenv("TMPDIR");
		fuzz_path = xasprintf("%s/fk-fuzz-search-%ld.db", tmp ? tmp : "/tmp", (long)getpid());
		if ((fuzz_store = store_open(fuzz_path, &err)) == NULL) {
			fprintf(stderr, "fuzz_search: %s\n", err);
			abort();
		}
		atexit(fuzz_search_close);
	}
	pm->id = xstrdup("pm-fuzz");
	pm->title = text[0] != '\n' && text[0] != '\0' ? xstrndup(text, strcspn(text, "\n"))
						       : xstrdup("fuzz");
	pm->source = xstrdup("fuzz.md");
	pm->hash = xstrdup("fuzz");
	postmortem_add_section(pm, "summary", "Summary", text);
	char *measure = text_utf8_repair(query, strlen(query));
	postmortem_add_measure(pm, measure);
	free(measure);
	if (store_postmortem_put(fuzz_store, pm, &result, &err) == 0) {
		fuzz_search_one(query);
		/* the text's own beginning, which is in the index */
		char *head = xstrndup(text, strlen(text) < 24 ? strlen(text) : 24);
		fuzz_search_one(head);
		free(head);
		if (store_postmortem_delete(fuzz_store, "pm-fuzz", &err) < 0) {
			fprintf(stderr, "fuzz_search: %s\n", err);
			abort();
		}
	}
	free(err);
	postmortem_free(pm);
	free(query);
	free(text);
	return 0;
}
