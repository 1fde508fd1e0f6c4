#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_http.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

struct script_entry {
	struct fake_http_reply r;
	int used;
};

struct fake_http {
	int listen_fd;
	int stop_pipe[2];
	int port;
	char url[64];
	pthread_t thread;
	pthread_mutex_t lock;
	struct script_entry *script;
	size_t n_script;
	struct fake_http_request *records;
	size_t n_records;
	fake_http_handler handler;
	void *handler_ctx;
	int active;		/* connections being served */
	pthread_cond_t idle;
	bool keepalive;
};

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Waits up to ms for fd to be readable; false when stopping or timed out. */
static bool
wait_readable(struct fake_http *f, int fd, int ms)
{
	struct pollfd p[2] = {
		{ .fd = fd, .events = POLLIN },
		{ .fd = f->stop_pipe[0], .events = POLLIN },
	};

	if (poll(p, 2, ms) <= 0)
		return false;
	return (p[1].revents & POLLIN) == 0 && (p[0].revents & (POLLIN | POLLHUP)) != 0;
}

/* Sleeps ms, but ends early when the client hangs up (a client that timed
 * out) or the server stops, so later requests are not held up. */
static void
pause_ms(struct fake_http *f, int fd, int ms)
{
	struct pollfd p[2] = {
		{ .fd = f->stop_pipe[0], .events = POLLIN },
		{ .fd = fd, .events = POLLIN },
	};

	if (ms > 0)
		poll(p, 2, ms);
}

/* idle_ms bounds the wait for the request's first byte (-1: until the
 * client closes or the server stops, for a kept connection). */
static bool
read_request(struct fake_http *f, int fd, int idle_ms, struct fake_http_request *req)
{
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	char *end = NULL;
	size_t want = 0;

	for (;;) {
		ssize_t n;

		if (end == NULL && sb.buf != NULL && (end = strstr(sb.buf, "\r\n\r\n")) != NULL) {
			const char *cl = strcasestr(sb.buf, "\r\ncontent-length:");

			want = (size_t)(end - sb.buf) + 4;
			if (cl != NULL && cl < end)
				want += (size_t)strtoul(cl + 17, NULL, 10);
		}
		if (end != NULL && sb.len >= want)
			break;
		if (!wait_readable(f, fd, sb.len == 0 ? idle_ms : 5000))
			goto fail;
		n = read(fd, buf, sizeof(buf));
		if (n <= 0)
			goto fail;
		/* end points into the buffer, which adding may move */
		size_t end_at = end != NULL ? (size_t)(end - sb.buf) : 0;
		strbuf_add(&sb, buf, (size_t)n);
		if (end != NULL)
			end = sb.buf + end_at;
	}
	{
		char *line_end = strstr(sb.buf, "\r\n");
		char *sp1 = memchr(sb.buf, ' ', (size_t)(line_end - sb.buf));
		char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(line_end - sp1 - 1)) : NULL;

		if (sp1 == NULL || sp2 == NULL)
			goto fail;
		req->method = xstrndup(sb.buf, (size_t)(sp1 - sb.buf));
		req->target = xstrndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
		req->headers = xstrndup(line_end + 2, (size_t)(end - line_end));
		req->body = xstrndup(end + 4, want - (size_t)(end - sb.buf) - 4);
	}
	strbuf_release(&sb);
	return true;
fail:
	strbuf_release(&sb);
	return false;
}

static int
pick_reply(struct fake_http *f, const struct fake_http_request *req)
{
	for (size_t i = 0; i < f->n_script; i++) {
		struct script_entry *e = &f->script[i];
		int limit = e->r.times == 0 ? 1 : e->r.times;

		if (limit > 0 && e->used >= limit)
			continue;
		if (e->r.method != NULL && strcmp(e->r.method, req->method) != 0)
			continue;
		if (e->r.path != NULL && strncmp(e->r.path, req->target, strlen(e->r.path)) != 0)
			continue;
		e->used++;
		return (int)i;
	}
	return -1;
}

static void
write_all(int fd, const char *s, size_t len)
{
	while (len > 0) {
		ssize_t n = send(fd, s, len, MSG_NOSIGNAL);

		if (n <= 0)
			return;
		s += n;
		len -= (size_t)n;
	}
}

/* The client asked to close after this answer. */
static bool
wants_close(const struct fake_http_request *req)
{
	const char *h = req->headers;

	for (const char *line = h; line != NULL && *line != '\0';) {
		const char *eol = strstr(line, "\r\n");

		if (strncasecmp(line, "connection:", 11) == 0 &&
		    strcasestr(line, "close") != NULL &&
		    (eol == NULL || strcasestr(line, "close") < eol))
			return true;
		line = eol ? eol + 2 : NULL;
	}
	return false;
}

/* What becomes of a connection after one request. */
enum conn_next {
	CONN_KEEP,		/* serve the client's next request */
	CONN_CLOSE,
	CONN_RESET,		/* close with a reset (FAKE_HTTP_CLOSE_UNREAD) */
};

/* Serves request number seq of a connection. */
static enum conn_next
serve(struct fake_http *f, int fd, int seq, bool keepalive)
{
	struct fake_http_request req = { .reply = -1, .conn_seq = seq };
	struct fake_http_reply r;
	struct fake_http_answer ans = { 0 };
	struct strbuf out = STRBUF_INIT;
	fake_http_handler handler;
	void *hctx;
	int idx = -1;
	enum conn_next next;

	if (!read_request(f, fd, seq == 1 ? 5000 : -1, &req))
		return CONN_CLOSE;
	next = keepalive && !wants_close(&req) ? CONN_KEEP : CONN_CLOSE;
	pthread_mutex_lock(&f->lock);
	handler = f->handler;
	hctx = f->handler_ctx;
	pthread_mutex_unlock(&f->lock);
	if (handler != NULL) {
		handler(hctx, &req, &ans);
		r = (struct fake_http_reply){
			.action = ans.action, .status = ans.status, .headers = ans.headers,
			.body = ans.body, .delay_ms = ans.delay_ms,
		};
		idx = 0;
	}
	pthread_mutex_lock(&f->lock);
	if (handler == NULL) {
		idx = pick_reply(f, &req);
		if (idx >= 0) {
			r = f->script[idx].r;
			r.headers = dup_or_null(r.headers);
			r.body = dup_or_null(r.body);
		} else {
			r = (struct fake_http_reply){
				.status = 599,
				.body = xstrdup("{\"message\":\"fake_http: no scripted reply matches\"}"),
			};
		}
	}
	req.reply = idx;
	req.unread = r.action == FAKE_HTTP_CLOSE_UNREAD;
	f->records = xreallocarray(f->records, f->n_records + 1, sizeof(*f->records));
	f->records[f->n_records++] = req;
	pthread_mutex_unlock(&f->lock);

	pause_ms(f, fd, r.delay_ms);
	if (r.action == FAKE_HTTP_REPLY) {
		size_t blen = r.body ? strlen(r.body) : 0;

		strbuf_addf(&out, "HTTP/1.1 %d Fake\r\nConnection: %s\r\nContent-Length: %zu\r\n",
			    r.status, next == CONN_KEEP ? "keep-alive" : "close", blen);
		if (blen > 0)
			strbuf_adds(&out, "Content-Type: application/json; charset=utf-8\r\n");
		if (r.headers != NULL)
			strbuf_adds(&out, r.headers);
		strbuf_adds(&out, "\r\n");
		if (blen > 0)
			strbuf_adds(&out, r.body);
		write_all(fd, out.buf, out.len);
	} else if (r.action == FAKE_HTTP_CLOSE_UNREAD) {
		/* A zero linger makes the close a reset, as the kernel does when
		 * a server closes with a request still unread in its buffer. */
		struct linger lg = { .l_onoff = 1, .l_linger = 0 };

		setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
		next = CONN_RESET;
	} else {
		next = CONN_CLOSE;
	}
	strbuf_release(&out);
	free((char *)r.headers);
	free((char *)r.body);
	return next;
}

struct conn {
	struct fake_http *f;
	int fd;
	bool keepalive;
};

static void *
serve_thread(void *arg)
{
	struct conn *c = arg;
	struct fake_http *f = c->f;
	enum conn_next next;
	int seq = 1;

	while ((next = serve(f, c->fd, seq++, c->keepalive)) == CONN_KEEP)
		;
	/* shutdown() would send a FIN first and spoil the reset. */
	if (next != CONN_RESET)
		shutdown(c->fd, SHUT_RDWR);
	close(c->fd);
	free(c);
	pthread_mutex_lock(&f->lock);
	f->active--;
	pthread_cond_broadcast(&f->idle);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

static void *
run(void *arg)
{
	struct fake_http *f = arg;

	for (;;) {
		struct conn *c;
		pthread_t th;
		int fd;

		if (!wait_readable(f, f->listen_fd, -1))
			break;
		fd = accept(f->listen_fd, NULL, NULL);
		if (fd < 0)
			continue;
		c = xcalloc(1, sizeof(*c));
		c->f = f;
		c->fd = fd;
		pthread_mutex_lock(&f->lock);
		c->keepalive = f->keepalive;
		f->active++;
		pthread_mutex_unlock(&f->lock);
		if (pthread_create(&th, NULL, serve_thread, c) != 0) {
			serve_thread(c);
			continue;
		}
		pthread_detach(th);
	}
	pthread_mutex_lock(&f->lock);
	while (f->active > 0)
		pthread_cond_wait(&f->idle, &f->lock);
	pthread_mutex_unlock(&f->lock);
	return NULL;
}

struct fake_http *
fake_http_start(void)
{
	struct fake_http *f = xcalloc(1, sizeof(*f));
	struct sockaddr_in addr = { .sin_family = AF_INET };
	socklen_t len = sizeof(addr);
	int one = 1;

	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	f->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (f->listen_fd < 0)
		goto fail;
	setsockopt(f->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(f->listen_fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(f->listen_fd, 16) < 0 ||
	    getsockname(f->listen_fd, (struct sockaddr *)&addr, &len) < 0 ||
	    pipe(f->stop_pipe) < 0)
		goto fail;
	f->port = ntohs(addr.sin_port);
	snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%d", f->port);
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->idle, NULL);
	if (pthread_create(&f->thread, NULL, run, f) != 0)
		goto fail;
	return f;
fail:
	if (f->listen_fd >= 0)
		close(f->listen_fd);
	free(f);
	return NULL;
}

static void
records_clear(struct fake_http *f)
{
	for (size_t i = 0; i < f->n_records; i++) {
		free(f->records[i].method);
		free(f->records[i].target);
		free(f->records[i].headers);
		free(f->records[i].body);
	}
	free(f->records);
	f->records = NULL;
	f->n_records = 0;
}

static void
script_clear(struct fake_http *f)
{
	for (size_t i = 0; i < f->n_script; i++) {
		free((char *)f->script[i].r.method);
		free((char *)f->script[i].r.path);
		free((char *)f->script[i].r.headers);
		free((char *)f->script[i].r.body);
	}
	free(f->script);
	f->script = NULL;
	f->n_script = 0;
}

void
fake_http_stop(struct fake_http *f)
{
	if (f == NULL)
		return;
	if (write(f->stop_pipe[1], "x", 1) < 0)
		perror("fake_http_stop");
	pthread_join(f->thread, NULL);
	close(f->listen_fd);
	close(f->stop_pipe[0]);
	close(f->stop_pipe[1]);
	records_clear(f);
	script_clear(f);
	pthread_cond_destroy(&f->idle);
	pthread_mutex_destroy(&f->lock);
	free(f);
}

int
fake_http_port(const struct fake_http *f)
{
	return f->port;
}

const char *
fake_http_url(const struct fake_http *f)
{
	return f->url;
}

void
fake_http_script(struct fake_http *f, const struct fake_http_reply *reply)
{
	struct fake_http_reply r = *reply;

	r.method = dup_or_null(r.method);
	r.path = dup_or_null(r.path);
	r.headers = dup_or_null(r.headers);
	r.body = dup_or_null(r.body);
	pthread_mutex_lock(&f->lock);
	f->script = xreallocarray(f->script, f->n_script + 1, sizeof(*f->script));
	f->script[f->n_script++] = (struct script_entry){ .r = r };
	pthread_mutex_unlock(&f->lock);
}

void
fake_http_set_handler(struct fake_http *f, fake_http_handler fn, void *ctx)
{
	pthread_mutex_lock(&f->lock);
	f->handler = fn;
	f->handler_ctx = ctx;
	pthread_mutex_unlock(&f->lock);
}

void
fake_http_keepalive(struct fake_http *f, bool on)
{
	pthread_mutex_lock(&f->lock);
	f->keepalive = on;
	pthread_mutex_unlock(&f->lock);
}

void
fake_http_reset(struct fake_http *f)
{
	pthread_mutex_lock(&f->lock);
	records_clear(f);
	script_clear(f);
	pthread_mutex_unlock(&f->lock);
}

size_t
fake_http_n_requests(struct fake_http *f)
{
	size_t n;

	pthread_mutex_lock(&f->lock);
	n = f->n_records;
	pthread_mutex_unlock(&f->lock);
	return n;
}

struct fake_http_request *
fake_http_request_at(struct fake_http *f, size_t i)
{
	struct fake_http_request *r = NULL;

	pthread_mutex_lock(&f->lock);
	if (i < f->n_records) {
		r = xcalloc(1, sizeof(*r));
		r->method = xstrdup(f->records[i].method);
		r->target = xstrdup(f->records[i].target);
		r->headers = xstrdup(f->records[i].headers);
		r->body = xstrdup(f->records[i].body);
		r->reply = f->records[i].reply;
		r->conn_seq = f->records[i].conn_seq;
		r->unread = f->records[i].unread;
	}
	pthread_mutex_unlock(&f->lock);
	return r;
}

void
fake_http_request_free(struct fake_http_request *r)
{
	if (r == NULL)
		return;
	free(r->method);
	free(r->target);
	free(r->headers);
	free(r->body);
	free(r);
}

size_t
fake_http_count(struct fake_http *f, const char *method, const char *path)
{
	size_t n = 0;

	pthread_mutex_lock(&f->lock);
	for (size_t i = 0; i < f->n_records; i++) {
		if (method != NULL && strcmp(f->records[i].method, method) != 0)
			continue;
		if (path != NULL && strncmp(f->records[i].target, path, strlen(path)) != 0)
			continue;
		n++;
	}
	pthread_mutex_unlock(&f->lock);
	return n;
}
