#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "furikaeri/err.h"
#include "furikaeri/text.h"
#include "furikaeri/token_command.h"
#include "furikaeri/xalloc.h"

extern char **environ;

/* More than any access token; a command that prints more is cut off. */
#define TOKEN_MAX_OUT 16384
#define TOKEN_MAX_ERR 2048

/* argv of command (owned, NULL-terminated), or NULL when a quote is not
 * closed or nothing is left. */
static char **
split(const char *command)
{
	char **argv = xcalloc(strlen(command) / 2 + 2, sizeof(char *));
	size_t n = 0;
	const char *p = command;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		char *arg = xcalloc(strlen(p) + 1, 1), *o = arg;
		char quote = 0;
		for (; *p != '\0' && (quote != 0 || (*p != ' ' && *p != '\t')); p++) {
			if (quote == 0 && (*p == '\'' || *p == '"'))
				quote = *p;
			else if (quote != 0 && *p == quote)
				quote = 0;
			else
				*o++ = *p;
		}
		argv[n++] = arg;
		if (quote != 0) {
			for (size_t i = 0; i < n; i++)
				free(argv[i]);
			free(argv);
			return NULL;
		}
	}
	if (n == 0) {
		free(argv);
		return NULL;
	}
	return argv;
}

static void
free_argv(char **argv)
{
	for (size_t i = 0; argv != NULL && argv[i] != NULL; i++)
		free(argv[i]);
	free(argv);
}

/* Whether name runs: a path that is executable, or a name found on PATH.
 * Asked before the spawn, so a command that is not there is named without
 * a child that fails to exec. */
static bool
runnable(const char *name)
{
	const char *path = getenv("PATH");

	if (strchr(name, '/') != NULL)
		return access(name, X_OK) == 0;
	if (path == NULL)
		path = "/usr/bin:/bin";
	while (*path != '\0') {
		size_t n = strcspn(path, ":");
		char *full = xasprintf("%.*s/%s", (int)n, n > 0 ? path : ".", name);
		bool ok = access(full, X_OK) == 0;
		free(full);
		if (ok)
			return true;
		path += n;
		if (*path == ':')
			path++;
	}
	return false;
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads both pipes to their end or the deadline; false on the deadline. */
static bool
drain(int out_fd, char *out, size_t *n_out, int err_fd, char *errbuf, size_t *n_err,
      long long deadline)
{
	struct pollfd fds[2] = { { .fd = out_fd, .events = POLLIN },
				 { .fd = err_fd, .events = POLLIN } };

	while (fds[0].fd >= 0 || fds[1].fd >= 0) {
		long long left = deadline - now_ms();
		if (left <= 0)
			return false;
		int rc = poll(fds, 2, (int)(left > 1000 ? 1000 : left));
		if (rc < 0 && errno != EINTR)
			return false;
		for (int i = 0; i < 2 && rc > 0; i++) {
			if (fds[i].fd < 0 || fds[i].revents == 0)
				continue;
			char *buf = i == 0 ? out : errbuf;
			size_t *n = i == 0 ? n_out : n_err;
			size_t cap = i == 0 ? TOKEN_MAX_OUT : TOKEN_MAX_ERR;
			char scratch[512];
			ssize_t got = *n < cap ? read(fds[i].fd, buf + *n, cap - *n)
					       : read(fds[i].fd, scratch, sizeof(scratch));
			if (got > 0 && *n < cap)
				*n += (size_t)got;
			explicit_bzero(scratch, sizeof(scratch));
			if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN))
				fds[i].fd = -1;
		}
	}
	return true;
}

/* The first line of what the command wrote on standard error, cleaned. */
static char *
first_line(const char *buf, size_t n)
{
	size_t len = 0;

	while (len < n && buf[len] != '\n')
		len++;
	char *line = xstrndup(buf, len), *clean = text_sanitize(line, false);
	free(line);
	return clean;
}

char *
token_command_run(const char *command, const char *where, long timeout_ms, char **err)
{
	char **argv = split(command);
	int out_pipe[2] = { -1, -1 }, err_pipe[2] = { -1, -1 };
	posix_spawn_file_actions_t fa;
	pid_t pid;
	int status = 0, rc;
	char *out = NULL, *errbuf = NULL, *token = NULL;
	size_t n_out = 0, n_err = 0;

	if (argv == NULL) {
		err_set(err, "%s: token_command = %s: give a command (quotes closed), such as "
			"gcloud auth print-access-token", where, command);
		return NULL;
	}
	if (!runnable(argv[0])) {
		err_set(err, "%s: token_command %s: %s: install it (for gcloud, the Google Cloud "
			"CLI) or give its full path, or set GOOGLE_OAUTH_ACCESS_TOKEN instead", where,
			argv[0], strerror(ENOENT));
		goto done;
	}
	if (pipe2(out_pipe, O_CLOEXEC) < 0 || pipe2(err_pipe, O_CLOEXEC) < 0) {
		err_set(err, "%s: token_command %s: no pipe: %s", where, argv[0], strerror(errno));
		goto done;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_pipe[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err_pipe[1], 2);
	rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(out_pipe[1]);
	close(err_pipe[1]);
	out_pipe[1] = err_pipe[1] = -1;
	if (rc != 0) {
		err_set(err, "%s: token_command %s: %s%s", where, argv[0], strerror(rc),
			rc == ENOENT ? ": install it (for gcloud, the Google Cloud CLI) or give "
			"its full path, or set GOOGLE_OAUTH_ACCESS_TOKEN instead" : "");
		goto done;
	}
	out = xcalloc(TOKEN_MAX_OUT + 1, 1);
	errbuf = xcalloc(TOKEN_MAX_ERR + 1, 1);
	if (!drain(out_pipe[0], out, &n_out, err_pipe[0], errbuf, &n_err,
		   now_ms() + timeout_ms)) {
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		err_set(err, "%s: token_command %s gave no answer within %ld s and was stopped: "
			"run it yourself to see what it waits for (a login, a prompt)", where,
			command, (timeout_ms + 999) / 1000);
		goto done;
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		char *line = first_line(errbuf, n_err);
		if (WIFEXITED(status))
			err_set(err, "%s: token_command %s exited with status %d%s%s; run it yourself "
				"to see why (furikaeri(5), [gdocs], has the steps), "
				"or set GOOGLE_OAUTH_ACCESS_TOKEN", where, command,
				WEXITSTATUS(status), line[0] ? ": " : "", line);
		else
			err_set(err, "%s: token_command %s was stopped by signal %d%s%s", where,
				command, WTERMSIG(status), line[0] ? ": " : "", line);
		free(line);
		goto done;
	}
	{
		size_t len = 0, start = 0;
		while (start < n_out && (out[start] == ' ' || out[start] == '\t' ||
					 out[start] == '\r' || out[start] == '\n'))
			start++;
		while (start + len < n_out && out[start + len] != '\n' && out[start + len] != '\r' &&
		       out[start + len] != ' ')
			len++;
		if (len == 0) {
			char *line = first_line(errbuf, n_err);
			err_set(err, "%s: token_command %s printed no token%s%s: run it yourself to "
				"see why (furikaeri(5), [gdocs], has the steps), or "
				"set GOOGLE_OAUTH_ACCESS_TOKEN", where, command,
				line[0] ? "; it said: " : "", line);
			free(line);
			goto done;
		}
		token = xstrndup(out + start, len);
	}
done:
	if (out != NULL)
		explicit_bzero(out, TOKEN_MAX_OUT);
	free(out);
	free(errbuf);
	for (int i = 0; i < 2; i++) {
		if (out_pipe[i] >= 0)
			close(out_pipe[i]);
		if (err_pipe[i] >= 0)
			close(err_pipe[i]);
	}
	free_argv(argv);
	return token;
}
