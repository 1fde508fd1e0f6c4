#ifndef FURIKAERI_FAKE_HTTP_H
#define FURIKAERI_FAKE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

/* A scriptable HTTP/1.1 server for the tests: it listens on a free
 * loopback port, serves each connection in a thread of its own (so two
 * clients at once are served at once), answers each request with the
 * first scripted reply whose method and path prefix match (each reply is
 * used `times` times, 0 meaning once, -1 forever) or, when a handler is
 * set, with what the handler says (fake_tracker.c is one), and records
 * every request it read. By default it closes the connection after every
 * answer ("Connection: close"), so no client ever reuses one; in
 * keep-alive mode (fake_http_keepalive) a connection serves request after
 * request until the client closes it or an action does, which is what a
 * test of a client's reuse of connections needs. A request nothing
 * matches gets a 599 saying so, which fails the test visibly. */

enum fake_http_action {
	FAKE_HTTP_REPLY,	/* send status, headers, body */
	FAKE_HTTP_DROP,		/* read the request, then close without a word */
	/* Close as a server does that never read the request (an idle
	 * keep-alive connection timed out as the client reused it): the
	 * request is recorded with unread set, and the close is a reset. */
	FAKE_HTTP_CLOSE_UNREAD,
};

struct fake_http_reply {
	const char *method;	/* NULL matches any */
	const char *path;	/* prefix of the request target; NULL matches any */
	enum fake_http_action action;
	int status;
	const char *headers;	/* extra "Name: value\r\n" lines, or NULL */
	const char *body;	/* NULL for none */
	int delay_ms;		/* wait before answering (or dropping) */
	int times;
};

struct fake_http_request {
	char *method;
	char *target;		/* path and query */
	char *headers;		/* raw header lines */
	char *body;
	int reply;		/* index of the scripted reply used, -1 for none */
	/* 1-based number of this request on its connection: 1 on a fresh
	 * connection, more than 1 on a reused (keep-alive) one. */
	int conn_seq;
	bool unread;		/* answered with FAKE_HTTP_CLOSE_UNREAD */
};

struct fake_http;

/* What a handler answers; headers and body are owned by the answer (the
 * server frees them). */
struct fake_http_answer {
	enum fake_http_action action;
	int status;
	char *headers;
	char *body;
	int delay_ms;
};

typedef void (*fake_http_handler)(void *ctx, const struct fake_http_request *req,
				  struct fake_http_answer *answer);

/* NULL when no socket can be had. */
struct fake_http *fake_http_start(void);
/* Stops the thread and frees everything, records included. */
void fake_http_stop(struct fake_http *f);
int fake_http_port(const struct fake_http *f);
/* "http://127.0.0.1:PORT" (borrowed). */
const char *fake_http_url(const struct fake_http *f);
/* Appends a reply (copied). */
void fake_http_script(struct fake_http *f, const struct fake_http_reply *reply);
/* Answers every request with fn (called under no lock of the server's;
 * it may be called from several threads at once). NULL: the script. */
void fake_http_set_handler(struct fake_http *f, fake_http_handler fn, void *ctx);
/* Off (the default): close after every answer. On: keep each connection
 * open for the client's next request. Applies to connections accepted
 * afterwards. */
void fake_http_keepalive(struct fake_http *f, bool on);
/* Forgets the script and the records. */
void fake_http_reset(struct fake_http *f);

size_t fake_http_n_requests(struct fake_http *f);
/* A copy of record i (owned; free with fake_http_request_free). */
struct fake_http_request *fake_http_request_at(struct fake_http *f, size_t i);
void fake_http_request_free(struct fake_http_request *r);
/* How many recorded requests have this method and target prefix (those
 * closed unread included: count the ones that were read with the records'
 * unread field). */
size_t fake_http_count(struct fake_http *f, const char *method, const char *path);

#endif
