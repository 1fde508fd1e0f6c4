#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "furikaeri/err.h"
#include "furikaeri/log.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE *log_file;
static char **log_secrets;
static size_t log_n_secrets;

int
log_open(const char *path, char **err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0) {
		err_set(err, "%s: cannot open the log file: %s; check the path given to -v "
			"or FURIKAERI_LOG", path, strerror(errno));
		return -1;
	}
	f = fdopen(fd, "a");
	if (f == NULL) {
		close(fd);
		err_set(err, "%s: cannot open the log file: %s", path, strerror(errno));
		return -1;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	pthread_mutex_lock(&log_lock);
	if (log_file != NULL)
		fclose(log_file);
	log_file = f;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

int
log_open_from_env(char **err)
{
	const char *path = getenv("FURIKAERI_LOG");

	if (path == NULL || path[0] == '\0')
		return 0;
	return log_open(path, err);
}

void
log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_file != NULL)
		fclose(log_file);
	log_file = NULL;
	pthread_mutex_unlock(&log_lock);
}

bool
log_enabled(void)
{
	bool on;

	pthread_mutex_lock(&log_lock);
	on = log_file != NULL;
	pthread_mutex_unlock(&log_lock);
	return on;
}

void
log_add_secret(const char *secret)
{
	if (secret == NULL || strlen(secret) < 4)
		return;
	pthread_mutex_lock(&log_lock);
	for (size_t i = 0; i < log_n_secrets; i++) {
		if (strcmp(log_secrets[i], secret) == 0) {
			pthread_mutex_unlock(&log_lock);
			return;
		}
	}
	log_secrets = xreallocarray(log_secrets, log_n_secrets + 1, sizeof(*log_secrets));
	log_secrets[log_n_secrets++] = xstrdup(secret);
	pthread_mutex_unlock(&log_lock);
}

void
log_clear_secrets(void)
{
	pthread_mutex_lock(&log_lock);
	for (size_t i = 0; i < log_n_secrets; i++) {
		memset(log_secrets[i], 0, strlen(log_secrets[i]));
		free(log_secrets[i]);
	}
	free(log_secrets);
	log_secrets = NULL;
	log_n_secrets = 0;
	pthread_mutex_unlock(&log_lock);
}

static size_t
header_prefix(const char *p)
{
	static const char *const names[] = { "Authorization:", "Proxy-Authorization:" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		size_t n = strlen(names[i]);

		if (strncasecmp(p, names[i], n) == 0)
			return n;
	}
	return 0;
}

/* Caller holds log_lock. */
static char *
redact_locked(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	const char *p = s;

	while (*p != '\0') {
		size_t n = (p == s || p[-1] == '\n' || p[-1] == ' ' || p[-1] == '"')
			   ? header_prefix(p) : 0;
		bool hit = false;

		if (n > 0) {
			strbuf_add(&sb, p, n);
			strbuf_adds(&sb, " [redacted]");
			p += n;
			while (*p != '\0' && *p != '\r' && *p != '\n' && *p != '"')
				p++;
			continue;
		}
		for (size_t i = 0; i < log_n_secrets; i++) {
			size_t len = strlen(log_secrets[i]);

			if (strncmp(p, log_secrets[i], len) == 0) {
				strbuf_adds(&sb, "[redacted]");
				p += len;
				hit = true;
				break;
			}
		}
		if (!hit)
			strbuf_addc(&sb, *p++);
	}
	return strbuf_detach(&sb);
}

char *
log_redact(const char *s)
{
	char *out;

	pthread_mutex_lock(&log_lock);
	out = redact_locked(s);
	pthread_mutex_unlock(&log_lock);
	return out;
}

static void
log_write(const char *level, const char *fmt, va_list ap)
{
	struct strbuf sb = STRBUF_INIT;
	char stamp[32];
	struct timespec ts;
	struct tm tm;
	char *clean;

	pthread_mutex_lock(&log_lock);
	if (log_file == NULL) {
		pthread_mutex_unlock(&log_lock);
		return;
	}
	strbuf_vaddf(&sb, fmt, ap);
	clean = redact_locked(strbuf_str(&sb));
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	fprintf(log_file, "%s.%03ldZ %s %s\n", stamp, ts.tv_nsec / 1000000L, level, clean);
	pthread_mutex_unlock(&log_lock);
	free(clean);
	strbuf_release(&sb);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write("debug", fmt, ap);
	va_end(ap);
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write("info", fmt, ap);
	va_end(ap);
}

void
log_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_write("error", fmt, ap);
	va_end(ap);
}
