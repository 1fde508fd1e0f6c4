#ifndef FURIKAERI_FAKE_CONFLUENCE_H
#define FURIKAERI_FAKE_CONFLUENCE_H

#include <stdbool.h>
#include <stddef.h>

#include "fake_http.h"

/* A stateful fake of Confluence Cloud's REST v2 (/wiki/api/v2) on top of
 * fake_http: spaces by key, a space's pages and a label's pages (the
 * latest change first when asked with sort=-modified-date), a page's
 * children, a page by id, content labels, and page creation; every
 * listing pages by a _links.next cursor of `limit` results. Bodies are
 * given as Atlassian documents (JSON text) and answered only when asked
 * for with body-format=atlas_doc_format, as the service does. Editing a
 * page makes a new version dated by the test's clock. */

struct fake_confluence;

struct fake_confluence *fake_confluence_new(struct fake_http *f, long long (*now_ms)(void *ctx),
					    void *ctx);
void fake_confluence_free(struct fake_confluence *fc);
/* A space (key, id). */
void fake_confluence_space(struct fake_confluence *fc, const char *key, const char *id);
/* A page of the first space: version 1, made now. parent NULL: at the top;
 * labels comma-separated or NULL; adf the body's JSON text. */
void fake_confluence_page(struct fake_confluence *fc, const char *id, const char *parent,
			  const char *title, const char *adf, const char *labels);
/* A new version of page id with this body, made now. */
void fake_confluence_edit(struct fake_confluence *fc, const char *id, const char *adf);
/* Deleted: listed nowhere, 404 by id. */
void fake_confluence_delete(struct fake_confluence *fc, const char *id);
/* How many pages POST /pages created. */
size_t fake_confluence_created(struct fake_confluence *fc);
/* The next create is stored, then its connection closes unanswered (the
 * answer is lost). */
void fake_confluence_drop_next_create(struct fake_confluence *fc);

/* How the next create goes (the fault classes of the fault explorer). */
enum fake_confluence_fault {
	FAKE_CF_NONE,		/* stored, 200 */
	FAKE_CF_5XX,		/* not stored, 500 */
	FAKE_CF_5XX_STORED,	/* stored, then 502 */
	FAKE_CF_429,		/* not stored, 429 with Retry-After: 1 */
	FAKE_CF_DROP,		/* stored, then the connection closes unanswered */
	FAKE_CF_CLOSE_UNREAD,	/* not stored, closed as if never read */
};
void fake_confluence_create_fault(struct fake_confluence *fc, enum fake_confluence_fault fault);
/* How many live pages have this title. */
size_t fake_confluence_titled(struct fake_confluence *fc, const char *title);
/* The body (JSON text) of page id (owned), NULL when none. */
char *fake_confluence_body(struct fake_confluence *fc, const char *id);

#endif
