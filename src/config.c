#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>
#include <jansson.h>

#include "furikaeri/command.h"
#include "furikaeri/config.h"
#include "furikaeri/err.h"
#include "furikaeri/paths.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

struct parse_ctx {
	struct config *cfg;
	const char *name;	/* file name for messages */
	const char *text;	/* the whole file */
	const char *next;	/* where the reader goes on */
	int line;		/* the line the reader handed out last */
	char *error;		/* first problem, with file:line */
	int fields_line;	/* where [jira] fields started */
};

struct config *
config_new(void)
{
	struct config *cfg = xcalloc(1, sizeof(*cfg));

	cfg->github.url = xstrdup("https://api.github.com");
	cfg->jira.api = 3;
	cfg->jira.issuetype = xstrdup("Task");
	cfg->budget_minutes = 60;
	cfg->connect_timeout_s = 10;
	cfg->timeout_s = 30;
	cfg->recheck_s = 120;
	cfg->chat.echo = CONFIG_CHAT_ECHO_DECISIONS;
	cfg->chat.agree_reaction = xstrdup("white_check_mark");
	cfg->chat.ticket_reaction = xstrdup("ticket");
	cfg->chat.poll_s = 5;
	return cfg;
}

static void
list_free(struct config_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->n = 0;
}

void
config_free(struct config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->tracker_default);
	free(cfg->github.url);
	free(cfg->github.repo);
	list_free(&cfg->github.labels);
	free(cfg->github.token_file);
	free(cfg->jira.url);
	free(cfg->jira.project);
	free(cfg->jira.issuetype);
	free(cfg->jira.email);
	list_free(&cfg->jira.labels);
	list_free(&cfg->jira.components);
	for (size_t i = 0; i < cfg->jira.n_priorities; i++) {
		free(cfg->jira.priorities[i].severity);
		free(cfg->jira.priorities[i].priority);
	}
	free(cfg->jira.priorities);
	free(cfg->jira.fields);
	free(cfg->jira.token_file);
	for (size_t i = 0; i < cfg->n_people; i++) {
		free(cfg->people[i].name);
		free(cfg->people[i].github);
		free(cfg->people[i].jira);
	}
	free(cfg->people);
	free(cfg->minutes_folder);
	free(cfg->webhook_url);
	free(cfg->webhook_url_file);
	for (size_t i = 0; i < 2 * cfg->n_keys; i++)
		free(cfg->keys[i]);
	free(cfg->keys);
	free(cfg->ca_bundle);
	free(cfg->chat.service);
	free(cfg->chat.channel);
	free(cfg->chat.url);
	free(cfg->chat.token_file);
	free(cfg->chat.agree_reaction);
	free(cfg->chat.ticket_reaction);
	free(cfg);
}

static int
fail(struct parse_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Records the first problem only: inih goes on after a handler error. */
static int
fail(struct parse_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	struct strbuf sb = STRBUF_INIT;

	if (ctx->error != NULL)
		return 0;
	strbuf_addf(&sb, "%s:%d: ", ctx->name, ctx->line);
	va_start(ap, fmt);
	strbuf_vaddf(&sb, fmt, ap);
	va_end(ap);
	ctx->error = strbuf_detach(&sb);
	return 0;
}

static void
set_str(char **dst, const char *value)
{
	free(*dst);
	*dst = value[0] == '\0' ? NULL : xstrdup(value);
}

/* Appends the comma-separated items of value (continuation lines add more). */
static void
list_add(struct config_list *l, const char *value)
{
	char *copy = xstrdup(value);
	char *save = NULL;

	for (char *tok = strtok_r(copy, ",", &save); tok != NULL; tok = strtok_r(NULL, ",", &save)) {
		char *item = text_trim(tok);

		if (item[0] == '\0') {
			free(item);
			continue;
		}
		l->items = xreallocarray(l->items, l->n + 1, sizeof(*l->items));
		l->items[l->n++] = item;
	}
	free(copy);
}

static int
parse_long(struct parse_ctx *ctx, const char *key, const char *value, long min, long max,
	   long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(value, &end, 10);
	if (errno != 0 || end == value || *end != '\0' || v < min || v > max)
		return fail(ctx, "%s = %s: expected a whole number from %ld to %ld", key, value,
			    min, max);
	*out = v;
	return 1;
}

static int
parse_priorities(struct parse_ctx *ctx, const char *value)
{
	struct config_list items = { 0 };
	struct config *cfg = ctx->cfg;
	int ok = 1;

	list_add(&items, value);
	for (size_t i = 0; i < items.n && ok; i++) {
		char *colon = strchr(items.items[i], ':');
		char *sev, *prio;

		if (colon == NULL) {
			ok = fail(ctx, "priority_map: '%s' is not SEVERITY:PRIORITY; write for "
				  "example SEV1:Highest, SEV2:High", items.items[i]);
			break;
		}
		*colon = '\0';
		sev = text_trim(items.items[i]);
		prio = text_trim(colon + 1);
		if (sev[0] == '\0' || prio[0] == '\0') {
			free(sev);
			free(prio);
			ok = fail(ctx, "priority_map: an empty severity or priority; write for "
				  "example SEV1:Highest");
			break;
		}
		cfg->jira.priorities = xreallocarray(cfg->jira.priorities, cfg->jira.n_priorities + 1,
						     sizeof(*cfg->jira.priorities));
		cfg->jira.priorities[cfg->jira.n_priorities++] = (struct config_priority){
			.severity = sev,
			.priority = prio,
		};
	}
	list_free(&items);
	return ok;
}

static int
parse_person(struct parse_ctx *ctx, const char *name, const char *value)
{
	struct config *cfg = ctx->cfg;
	struct config_person p = { .name = xstrdup(name) };
	char *copy = xstrdup(value);
	char *save = NULL;

	if (config_person(cfg, name) != NULL) {
		free(p.name);
		free(copy);
		return fail(ctx, "[people] %s is given twice; keep one line per person", name);
	}
	for (char *tok = strtok_r(copy, " \t", &save); tok != NULL; tok = strtok_r(NULL, " \t", &save)) {
		char **dst = NULL;

		if (strncmp(tok, "github:", 7) == 0)
			dst = &p.github;
		else if (strncmp(tok, "jira:", 5) == 0)
			dst = &p.jira;
		if (dst == NULL || strchr(tok, ':')[1] == '\0') {
			fail(ctx, "[people] %s: '%s' is not github:LOGIN or jira:ACCOUNT_ID", name, tok);
			free(p.name);
			free(p.github);
			free(p.jira);
			free(copy);
			return 0;
		}
		set_str(dst, strchr(tok, ':') + 1);
	}
	free(copy);
	cfg->people = xreallocarray(cfg->people, cfg->n_people + 1, sizeof(*cfg->people));
	cfg->people[cfg->n_people++] = p;
	return 1;
}

static int
section_tracker(struct parse_ctx *ctx, const char *key, const char *value)
{
	if (strcmp(key, "recheck_seconds") == 0)
		return parse_long(ctx, key, value, 0, 86400, &ctx->cfg->recheck_s);
	if (strcmp(key, "default") != 0)
		return fail(ctx, "unknown key '%s' in [tracker]; the keys there are default and "
			    "recheck_seconds", key);
	if (strcmp(value, "github") != 0 && strcmp(value, "jira") != 0)
		return fail(ctx, "default = %s: expected github or jira", value);
	set_str(&ctx->cfg->tracker_default, value);
	return 1;
}

static int
section_github(struct parse_ctx *ctx, const char *key, const char *value)
{
	struct config *cfg = ctx->cfg;

	if (strcmp(key, "url") == 0) {
		set_str(&cfg->github.url, value);
	} else if (strcmp(key, "repo") == 0) {
		const char *slash = strchr(value, '/');

		if (slash == NULL || slash == value || slash[1] == '\0' || strchr(slash + 1, '/'))
			return fail(ctx, "repo = %s: expected OWNER/REPO", value);
		set_str(&cfg->github.repo, value);
	} else if (strcmp(key, "labels") == 0) {
		list_add(&cfg->github.labels, value);
	} else if (strcmp(key, "token_file") == 0) {
		set_str(&cfg->github.token_file, value);
	} else {
		return fail(ctx, "unknown key '%s' in [github]; the keys there are url, repo, "
			    "labels and token_file", key);
	}
	return 1;
}

static int
section_jira(struct parse_ctx *ctx, const char *key, const char *value)
{
	struct config *cfg = ctx->cfg;

	if (strcmp(key, "url") == 0) {
		set_str(&cfg->jira.url, value);
	} else if (strcmp(key, "api") == 0) {
		if (strcmp(value, "3") != 0 && strcmp(value, "2") != 0)
			return fail(ctx, "api = %s: expected 3 (Jira Cloud) or 2 (Jira Data Center "
				    "or Server)", value);
		cfg->jira.api = value[0] - '0';
	} else if (strcmp(key, "project") == 0) {
		set_str(&cfg->jira.project, value);
	} else if (strcmp(key, "issuetype") == 0) {
		set_str(&cfg->jira.issuetype, value);
	} else if (strcmp(key, "email") == 0) {
		set_str(&cfg->jira.email, value);
	} else if (strcmp(key, "labels") == 0) {
		list_add(&cfg->jira.labels, value);
	} else if (strcmp(key, "components") == 0) {
		list_add(&cfg->jira.components, value);
	} else if (strcmp(key, "priority_map") == 0) {
		return parse_priorities(ctx, value);
	} else if (strcmp(key, "fields") == 0) {
		char *joined;

		if (cfg->jira.fields == NULL)
			ctx->fields_line = ctx->line;
		joined = xasprintf("%s%s%s", cfg->jira.fields ? cfg->jira.fields : "",
				   cfg->jira.fields ? "\n" : "", value);
		free(cfg->jira.fields);
		cfg->jira.fields = joined;
	} else if (strcmp(key, "token_file") == 0) {
		set_str(&cfg->jira.token_file, value);
	} else {
		return fail(ctx, "unknown key '%s' in [jira]; the keys there are url, api, project, "
			    "issuetype, email, labels, components, priority_map, fields and "
			    "token_file", key);
	}
	return 1;
}

/* An emoji name as Slack and Mattermost spell it: no colons, no spaces. */
static int
set_reaction(struct parse_ctx *ctx, const char *key, const char *value, char **dst)
{
	const char *v = value;
	size_t n;

	if (v[0] == ':')
		v++;
	n = strlen(v);
	if (n > 0 && v[n - 1] == ':')
		n--;
	if (n == 0 || n > 100 || strcspn(v, " \t:,") < n)
		return fail(ctx, "%s = %s: expected an emoji name such as white_check_mark", key,
			    value);
	free(*dst);
	*dst = xstrndup(v, n);
	return 1;
}

static int
section_chat(struct parse_ctx *ctx, const char *key, const char *value)
{
	struct config *cfg = ctx->cfg;

	if (strcmp(key, "service") == 0) {
		if (strcmp(value, "slack") != 0 && strcmp(value, "mattermost") != 0)
			return fail(ctx, "service = %s: expected slack or mattermost", value);
		set_str(&cfg->chat.service, value);
	} else if (strcmp(key, "channel") == 0) {
		if (value[0] == '\0' || strcmp(value, "#") == 0)
			return fail(ctx, "channel is empty: give a name such as #postmortems or "
				    "the channel's id");
		set_str(&cfg->chat.channel, value);
	} else if (strcmp(key, "url") == 0) {
		set_str(&cfg->chat.url, value);
	} else if (strcmp(key, "token_file") == 0) {
		set_str(&cfg->chat.token_file, value);
	} else if (strcmp(key, "echo") == 0) {
		if (strcmp(value, "all") == 0)
			cfg->chat.echo = CONFIG_CHAT_ECHO_ALL;
		else if (strcmp(value, "decisions") == 0)
			cfg->chat.echo = CONFIG_CHAT_ECHO_DECISIONS;
		else if (strcmp(value, "none") == 0)
			cfg->chat.echo = CONFIG_CHAT_ECHO_NONE;
		else
			return fail(ctx, "echo = %s: expected all, decisions or none", value);
	} else if (strcmp(key, "agree_reaction") == 0) {
		return set_reaction(ctx, key, value, &cfg->chat.agree_reaction);
	} else if (strcmp(key, "ticket_reaction") == 0) {
		return set_reaction(ctx, key, value, &cfg->chat.ticket_reaction);
	} else if (strcmp(key, "poll_seconds") == 0) {
		return parse_long(ctx, key, value, 1, 3600, &cfg->chat.poll_s);
	} else if (strcmp(key, "token") == 0) {
		return fail(ctx, "token does not belong in the config file; set SLACK_BOT_TOKEN "
			    "or MATTERMOST_TOKEN, or token_file = PATH (mode 0600)");
	} else {
		return fail(ctx, "unknown key '%s' in [chat]; the keys there are service, "
			    "channel, url, token_file, echo, agree_reaction, ticket_reaction and "
			    "poll_seconds", key);
	}
	return 1;
}

static int
section_other(struct parse_ctx *ctx, const char *section, const char *key, const char *value)
{
	struct config *cfg = ctx->cfg;
	long v;

	if (strcmp(section, "meeting") == 0 && strcmp(key, "budget_minutes") == 0) {
		if (!parse_long(ctx, key, value, 5, 600, &v))
			return 0;
		cfg->budget_minutes = (int)v;
	} else if (strcmp(section, "meeting") == 0) {
		return fail(ctx, "unknown key '%s' in [meeting]; the only key there is "
			    "budget_minutes", key);
	} else if (strcmp(section, "minutes") == 0 && strcmp(key, "folder") == 0) {
		set_str(&cfg->minutes_folder, value);
	} else if (strcmp(section, "minutes") == 0 && strcmp(key, "webhook_url") == 0) {
		set_str(&cfg->webhook_url, value);
		cfg->webhook_line = ctx->line;
	} else if (strcmp(section, "minutes") == 0 && strcmp(key, "webhook_url_file") == 0) {
		set_str(&cfg->webhook_url_file, value);
	} else if (strcmp(section, "minutes") == 0) {
		return fail(ctx, "unknown key '%s' in [minutes]; the keys there are folder, "
			    "webhook_url and webhook_url_file", key);
	} else if (strcmp(section, "http") == 0 && strcmp(key, "ca_bundle") == 0) {
		set_str(&cfg->ca_bundle, value);
	} else if (strcmp(section, "http") == 0 && strcmp(key, "connect_timeout") == 0) {
		return parse_long(ctx, key, value, 1, 300, &cfg->connect_timeout_s);
	} else if (strcmp(section, "http") == 0 && strcmp(key, "timeout") == 0) {
		return parse_long(ctx, key, value, 1, 3600, &cfg->timeout_s);
	} else if (strcmp(section, "http") == 0) {
		return fail(ctx, "unknown key '%s' in [http]; the keys there are ca_bundle, "
			    "connect_timeout and timeout", key);
	} else if (strcmp(section, "keys") == 0) {
		if (command_find(key) == NULL)
			return fail(ctx, "unknown action '%s' in [keys]; the help screen (F1) "
				    "lists the actions", key);
		cfg->keys = xreallocarray(cfg->keys, 2 * (cfg->n_keys + 1), sizeof(char *));
		cfg->keys[2 * cfg->n_keys] = xstrdup(key);
		cfg->keys[2 * cfg->n_keys + 1] = xstrdup(value);
		cfg->n_keys++;
	} else {
		return fail(ctx, "unknown section [%s]; the sections are tracker, github, jira, "
			    "people, meeting, minutes, http, keys and chat", section);
	}
	return 1;
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *ctx = user;

	if (ctx->error != NULL)
		return 0;
	if (name == NULL) {
		static const char *const known[] = {
			"tracker", "github", "jira", "people", "meeting", "minutes", "http",
			"keys", "chat",
		};

		for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
			if (strcmp(section, known[i]) == 0)
				return 1;
		return fail(ctx, "unknown section [%s]; the sections are tracker, github, jira, "
			    "people, meeting, minutes, http, keys and chat", section);
	}
	if (section[0] == '\0')
		return fail(ctx, "'%s' is outside any section; put it under [github], [jira], "
			    "... as furikaeri(5) shows", name);
	if (strcmp(section, "tracker") == 0)
		return section_tracker(ctx, name, value);
	if (strcmp(section, "github") == 0)
		return section_github(ctx, name, value);
	if (strcmp(section, "jira") == 0)
		return section_jira(ctx, name, value);
	if (strcmp(section, "people") == 0)
		return parse_person(ctx, name, value);
	if (strcmp(section, "chat") == 0)
		return section_chat(ctx, name, value);
	return section_other(ctx, section, name, value);
}

/* Hands inih one line at a time so that handler errors know their line, and
 * refuses lines inih would silently cut at its INI_MAX_LINE. */
static char *
reader(char *str, int num, void *stream)
{
	struct parse_ctx *ctx = stream;
	const char *end;
	size_t len;

	if (*ctx->next == '\0')
		return NULL;
	end = strchr(ctx->next, '\n');
	len = end ? (size_t)(end - ctx->next + 1) : strlen(ctx->next);
	ctx->line++;
	if (len + 1 > (size_t)num) {
		fail(ctx, "the line is longer than %d bytes; continue a long value on indented "
		     "lines below it", num - 2);
		len = 0;
	}
	memcpy(str, ctx->next, len);
	str[len] = '\0';
	ctx->next += end ? (size_t)(end - ctx->next + 1) : strlen(ctx->next);
	return str;
}

static int
check_fields(struct parse_ctx *ctx)
{
	json_error_t jerr;
	json_t *j;

	if (ctx->cfg->jira.fields == NULL)
		return 0;
	j = json_loads(ctx->cfg->jira.fields, 0, &jerr);
	if (j == NULL || !json_is_object(j)) {
		err_set(&ctx->error, "%s:%d: [jira] fields is not a JSON object (%s); write for "
			"example fields = {\"customfield_10551\": {\"value\": \"Yes\"}}",
			ctx->name, ctx->fields_line + (j == NULL ? jerr.line - 1 : 0),
			j == NULL ? jerr.text : "another JSON value");
		json_decref(j);
		return -1;
	}
	{
		/* The marker label rides in labels; a team's labels join it (an
		 * array of strings), anything else would lose it. */
		json_t *labels = json_object_get(j, "labels"), *v;
		size_t i;
		bool ok = labels == NULL || json_is_array(labels);

		json_array_foreach(labels, i, v)
			ok &= json_is_string(v);
		if (!ok) {
			err_set(&ctx->error, "%s:%d: [jira] fields has \"labels\" that is not a list "
				"of strings; the ticket's marker label is added to that list, so write "
				"\"labels\": [\"a\", \"b\"] (or use [jira] labels)", ctx->name,
				ctx->fields_line);
			json_decref(j);
			return -1;
		}
	}
	json_decref(j);
	return 0;
}

struct config *
config_parse(const char *text, const char *name, char **err)
{
	struct parse_ctx ctx = {
		.cfg = config_new(),
		.name = name,
		.text = text,
		.next = text,
	};
	int rc = ini_parse_stream(reader, &ctx, handler, &ctx);

	if (ctx.error == NULL && rc > 0)
		err_set(&ctx.error, "%s:%d: not a section, a key = value line or a comment; see "
			"furikaeri(5)", name, rc);
	if (ctx.error == NULL && rc < 0)
		err_set(&ctx.error, "%s: cannot parse the file", name);
	if (ctx.error == NULL)
		check_fields(&ctx);
	if (ctx.error != NULL) {
		err_set(err, "%s", ctx.error);
		free(ctx.error);
		config_free(ctx.cfg);
		return NULL;
	}
	return ctx.cfg;
}

static char *
read_all(const char *path, int *errnum)
{
	FILE *f = fopen(path, "re");
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;

	if (f == NULL) {
		*errnum = errno;
		return NULL;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(&sb, buf, n);
	if (ferror(f)) {
		*errnum = errno;
		fclose(f);
		strbuf_release(&sb);
		return NULL;
	}
	fclose(f);
	return strbuf_detach(&sb);
}

struct config *
config_load(const char *path, char **err)
{
	char *dflt = NULL;
	char *text;
	int errnum = 0;
	struct config *cfg;

	if (path == NULL) {
		dflt = paths_default_config(err);
		if (dflt == NULL)
			return NULL;
	}
	text = read_all(path ? path : dflt, &errnum);
	if (text == NULL) {
		if (path == NULL && errnum == ENOENT) {
			free(dflt);
			return config_new();
		}
		err_set(err, "%s: cannot read the config file: %s%s", path ? path : dflt,
			strerror(errnum), errnum == ENOENT ? "; check the path given to --config" : "");
		free(dflt);
		return NULL;
	}
	cfg = config_parse(text, path ? path : dflt, err);
	if (cfg != NULL)
		cfg->path = xstrdup(path ? path : dflt);
	if (cfg != NULL && cfg->webhook_url != NULL) {
		/* the webhook URL is a bearer secret, as a token is */
		struct stat sb;

		if (stat(cfg->path, &sb) == 0 && (sb.st_mode & 077) != 0) {
			err_set(err, "%s:%d: webhook_url is a secret, but the file has mode %04o, so "
				"others can read it: chmod 600 %s, or move the URL to "
				"FURIKAERI_WEBHOOK_URL or a webhook_url_file of mode 0600",
				cfg->path, cfg->webhook_line, (unsigned)(sb.st_mode & 07777),
				cfg->path);
			config_free(cfg);
			cfg = NULL;
		}
	}
	free(text);
	free(dflt);
	return cfg;
}

const struct config_person *
config_person(const struct config *cfg, const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < cfg->n_people; i++)
		if (text_casecmp(cfg->people[i].name, name) == 0)
			return &cfg->people[i];
	return NULL;
}

const char *
config_priority_for(const struct config *cfg, const char *severity)
{
	if (severity == NULL)
		return NULL;
	for (size_t i = 0; i < cfg->jira.n_priorities; i++)
		if (text_casecmp(cfg->jira.priorities[i].severity, severity) == 0)
			return cfg->jira.priorities[i].priority;
	return NULL;
}

static char *
token_from_file(const char *path, const char *what, char **err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat sb;
	struct strbuf buf = STRBUF_INIT;
	char chunk[256];
	ssize_t n;
	char *token;

	if (fd < 0) {
		err_set(err, "%s: cannot open the %s token file: %s", path, what, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		err_set(err, "%s: the %s token file is not a regular file", path, what);
		close(fd);
		return NULL;
	}
	if ((sb.st_mode & 077) != 0) {
		err_set(err, "%s: the %s token file has mode %04o, so others can read it; it "
			"must be readable by you only: chmod 600 %s", path, what,
			(unsigned)(sb.st_mode & 07777), path);
		close(fd);
		return NULL;
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		strbuf_add(&buf, chunk, (size_t)n);
	memset(chunk, 0, sizeof(chunk));
	close(fd);
	strbuf_rtrim(&buf);
	token = text_trim(strbuf_str(&buf));
	if (buf.buf != NULL)
		memset(buf.buf, 0, buf.len);
	strbuf_release(&buf);
	if (token[0] == '\0' || strchr(token, '\n') != NULL) {
		free(token);
		err_set(err, "%s: the %s token file must hold the token alone on one line", path,
			what);
		return NULL;
	}
	return token;
}

char *
config_webhook_url(const struct config *cfg, char **err)
{
	const char *v = getenv("FURIKAERI_WEBHOOK_URL");

	if (v != NULL && v[0] != '\0')
		return xstrdup(v);
	if (cfg != NULL && cfg->webhook_url_file != NULL)
		return token_from_file(cfg->webhook_url_file, "webhook URL", err);
	if (cfg != NULL && cfg->webhook_url != NULL)
		return xstrdup(cfg->webhook_url);
	err_set(err, "no webhook is configured: set FURIKAERI_WEBHOOK_URL, or webhook_url_file "
		"(mode 0600) in [minutes] of %s (see furikaeri(5))",
		cfg != NULL && cfg->path != NULL ? cfg->path : "the config file");
	return NULL;
}

char *
config_token(const struct config *cfg, const char *tracker, char **err)
{
	const char *v;

	if (strcmp(tracker, "github") == 0) {
		if ((v = getenv("GITHUB_TOKEN")) != NULL && v[0] != '\0')
			return xstrdup(v);
		if ((v = getenv("GH_TOKEN")) != NULL && v[0] != '\0')
			return xstrdup(v);
		if (cfg->github.token_file != NULL)
			return token_from_file(cfg->github.token_file, "GitHub", err);
		err_set(err, "no GitHub token: set GITHUB_TOKEN (or GH_TOKEN), or token_file in "
			"[github] of %s", cfg->path ? cfg->path : "the config file");
		return NULL;
	}
	if ((v = getenv("JIRA_API_TOKEN")) != NULL && v[0] != '\0')
		return xstrdup(v);
	if (cfg->jira.token_file != NULL)
		return token_from_file(cfg->jira.token_file, "Jira", err);
	err_set(err, "no Jira token: set JIRA_API_TOKEN, or token_file in [jira] of %s",
		cfg->path ? cfg->path : "the config file");
	return NULL;
}

char *
config_chat_token(const struct config *cfg, char **err)
{
	const char *v;
	bool mm = cfg->chat.service != NULL && strcmp(cfg->chat.service, "mattermost") == 0;
	const char *env = mm ? "MATTERMOST_TOKEN" : "SLACK_BOT_TOKEN";

	if (cfg->chat.service == NULL) {
		err_set(err, "no chat is configured: set service = slack or mattermost in [chat] "
			"of %s (see furikaeri(5))", cfg->path ? cfg->path : "the config file");
		return NULL;
	}
	if ((v = getenv(env)) != NULL && v[0] != '\0')
		return xstrdup(v);
	if (cfg->chat.token_file != NULL)
		return token_from_file(cfg->chat.token_file, mm ? "Mattermost" : "Slack", err);
	err_set(err, "no %s token: set %s, or token_file (mode 0600) in [chat] of %s",
		mm ? "Mattermost" : "Slack bot", env, cfg->path ? cfg->path : "the config file");
	return NULL;
}

const char *
config_chat_url(const struct config *cfg)
{
	if (cfg->chat.url != NULL)
		return cfg->chat.url;
	if (cfg->chat.service != NULL && strcmp(cfg->chat.service, "slack") == 0)
		return "https://slack.com/api/";
	return NULL;
}
