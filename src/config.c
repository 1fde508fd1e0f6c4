#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ini.h>
#include <jansson.h>

#include "furikaeri/command.h"
#include "furikaeri/config.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/paths.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/tracker.h"
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
	cfg->gitlab.url = xstrdup("https://gitlab.com");
	cfg->linear.url = xstrdup("https://api.linear.app/graphql");
	cfg->gdocs.url = xstrdup("https://www.googleapis.com");
	cfg->jira.issuetype = xstrdup("Task");
	cfg->budget_minutes = 60;
	cfg->floor_minutes = 3;
	cfg->followup_days = 90;
	cfg->connect_timeout_s = 10;
	cfg->timeout_s = 30;
	cfg->recheck_s = 120;
	cfg->chat.echo = CONFIG_CHAT_ECHO_DECISIONS;
	cfg->chat.agree_reaction = xstrdup("white_check_mark");
	cfg->chat.ticket_reaction = xstrdup("ticket");
	cfg->chat.poll_s = 5;
	cfg->chat.late_reply_hours = 48;
	cfg->chat.remind_days = 2;
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
	list_free(&cfg->jira_projects);
	for (size_t i = 0; i < cfg->jira.n_priorities; i++) {
		free(cfg->jira.priorities[i].severity);
		free(cfg->jira.priorities[i].priority);
	}
	free(cfg->jira.priorities);
	free(cfg->jira.fields);
	free(cfg->jira.token_file);
	free(cfg->jira.severity_field);
	free(cfg->jira.measure_link);
	free(cfg->gitlab.url);
	free(cfg->gitlab.project);
	list_free(&cfg->gitlab.labels);
	free(cfg->gitlab.token_file);
	free(cfg->linear.url);
	free(cfg->linear.team);
	list_free(&cfg->linear.labels);
	free(cfg->linear.token_file);
	free(cfg->gdocs.url);
	free(cfg->gdocs.token_command);
	free(cfg->confluence.url);
	free(cfg->confluence.email);
	free(cfg->confluence.token_file);
	free(cfg->confluence.space);
	free(cfg->confluence.parent);
	free(cfg->template_path);
	free(cfg->postmortems_label);
	list_free(&cfg->source_names);
	list_free(&cfg->heading_keys);
	list_free(&cfg->heading_names);
	list_free(&cfg->sources);
	for (size_t i = 0; i < cfg->n_people; i++) {
		free(cfg->people[i].name);
		free(cfg->people[i].github);
		free(cfg->people[i].jira);
		free(cfg->people[i].gitlab);
		free(cfg->people[i].linear);
	}
	free(cfg->people);
	free(cfg->minutes_folder);
	free(cfg->minutes_url);
	free(cfg->postmortems_root);
	free(cfg->postmortems_url);
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
		else if (strncmp(tok, "gitlab:", 7) == 0)
			dst = &p.gitlab;
		else if (strncmp(tok, "linear:", 7) == 0)
			dst = &p.linear;
		if (dst == NULL || strchr(tok, ':')[1] == '\0') {
			fail(ctx, "[people] %s: '%s' is not github:LOGIN, jira:ACCOUNT_ID, "
			     "gitlab:USERNAME or linear:EMAIL", name, tok);
			free(p.name);
			free(p.github);
			free(p.jira);
			free(p.gitlab);
			free(p.linear);
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
set_recheck(struct parse_ctx *ctx, const char *key, const char *value)
{
	/* the line, for the note when it is below a tracker's search lag
	 * (tracker_recheck_note) */
	ctx->cfg->recheck_line = ctx->line;
	return parse_long(ctx, key, value, 0, 86400, &ctx->cfg->recheck_s);
}

static int
set_tracker_default(struct parse_ctx *ctx, const char *key, const char *value)
{
	(void)key;
	enum tracker_kind kind;

	if (!tracker_kind_parse(value, &kind) || !tracker_kind_files_measures(kind))
		return fail(ctx, "default = %s: expected %s", value, tracker_kind_list());
	set_str(&ctx->cfg->tracker_default, value);
	return 1;
}

static int
set_github_repo(struct parse_ctx *ctx, const char *key, const char *value)
{
	const char *slash = strchr(value, '/');

	(void)key;
	if (slash == NULL || slash == value || slash[1] == '\0' || strchr(slash + 1, '/'))
		return fail(ctx, "repo = %s: expected OWNER/REPO", value);
	set_str(&ctx->cfg->github.repo, value);
	return 1;
}

static int
set_jira_api(struct parse_ctx *ctx, const char *key, const char *value)
{
	(void)key;
	if (strcmp(value, "3") != 0 && strcmp(value, "2") != 0)
		return fail(ctx, "api = %s: expected 3 (Jira Cloud) or 2 (Jira Data Center "
			    "or Server)", value);
	ctx->cfg->jira.api = value[0] - '0';
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

/* [chat]: each of its keys in config_keys comes here. */
static int
set_chat(struct parse_ctx *ctx, const char *key, const char *value)
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
	}
	return 1;
}

static int
set_jira_priorities(struct parse_ctx *ctx, const char *key, const char *value)
{
	(void)key;
	return parse_priorities(ctx, value);
}

/* A long value continues on indented lines, which inih hands over one by one. */
static int
set_jira_fields(struct parse_ctx *ctx, const char *key, const char *value)
{
	struct config *cfg = ctx->cfg;
	char *joined;

	(void)key;
	if (cfg->jira.fields == NULL)
		ctx->fields_line = ctx->line;
	joined = xasprintf("%s%s%s", cfg->jira.fields ? cfg->jira.fields : "",
			   cfg->jira.fields ? "\n" : "", value);
	free(cfg->jira.fields);
	cfg->jira.fields = joined;
	return 1;
}

static int
set_person(struct parse_ctx *ctx, const char *key, const char *value)
{
	return parse_person(ctx, key, value);
}

/* [sources] NAME = github:OWNER/REPO ... | jira:JQL | gdocs:FOLDER_ID, kept in file order. */
static int
set_source(struct parse_ctx *ctx, const char *key, const char *value)
{
	struct config *cfg = ctx->cfg;

	if (strncmp(value, "github:", 7) != 0 && strncmp(value, "jira:", 5) != 0 &&
	    strncmp(value, "gitlab:", 7) != 0 && strncmp(value, "gdocs:", 6) != 0 &&
	    strncmp(value, "confluence:", 11) != 0)
		return fail(ctx, "[sources] %s = %s: expected github:OWNER/REPO, "
			    "gitlab:GROUP/PROJECT, jira:JQL, confluence:SPACE[/PARENT-PAGE-ID] or "
			    "gdocs:FOLDER_ID",
			    key, value);
	cfg->source_names.items = xreallocarray(cfg->source_names.items,
						cfg->source_names.n + 1, sizeof(char *));
	cfg->source_names.items[cfg->source_names.n++] = xstrdup(key);
	cfg->sources.items = xreallocarray(cfg->sources.items, cfg->sources.n + 1,
					   sizeof(char *));
	cfg->sources.items[cfg->sources.n++] = xstrdup(value);
	return 1;
}

/* [headings] KEY = HEADING, HEADING: KEY is a section the import knows. */
static int
set_heading(struct parse_ctx *ctx, const char *key, const char *value)
{
	static const char *const keys[] = {
		SECTION_SUMMARY, SECTION_IMPACT, SECTION_ROOT_CAUSE, SECTION_TRIGGER,
		SECTION_DETECTION, SECTION_RESOLUTION, SECTION_LESSONS, SECTION_TIMELINE,
		SECTION_MEASURES, SECTION_NOT_DOING,
	};
	struct config *cfg = ctx->cfg;
	bool known = false;
	const char *p = value;

	for (size_t i = 0; !known && i < sizeof(keys) / sizeof(keys[0]); i++)
		known = strcmp(key, keys[i]) == 0;
	if (!known)
		return fail(ctx, "[headings] %s: not a section; one of summary, impact, root_cause, "
			    "trigger, detection, resolution, lessons, timeline, measures, not_doing",
			    key);
	while (*p != '\0') {
		size_t n = strcspn(p, ",");
		char *one = xstrndup(p, n), *t = text_trim(one);

		if (t[0] != '\0') {
			list_add(&cfg->heading_keys, key);
			list_add(&cfg->heading_names, t);
		}
		free(t);
		free(one);
		p += n;
		if (*p == ',')
			p++;
	}
	return 1;
}

static int
set_url(struct parse_ctx *ctx, const char *key, const char *value, char **dst)
{
	if (value[0] != '\0' && strncmp(value, "https://", 8) != 0 &&
	    strncmp(value, "http://", 7) != 0)
		return fail(ctx, "%s = %s: expected a URL starting with https://", key, value);
	set_str(dst, value);
	return 1;
}

static int
set_github_url(struct parse_ctx *ctx, const char *key, const char *value)
{
	return set_url(ctx, key, value, &ctx->cfg->github.url);
}

static int
set_gitlab_url(struct parse_ctx *ctx, const char *key, const char *value)
{
	return set_url(ctx, key, value, &ctx->cfg->gitlab.url);
}

/* GROUP[/SUBGROUP...]/PROJECT, or the project's numeric id. */
static int
set_gitlab_project(struct parse_ctx *ctx, const char *key, const char *value)
{
	size_t n = strlen(value);
	bool numeric = n > 0 && strspn(value, "0123456789") == n;

	(void)key;
	if (!numeric && (strchr(value, '/') == NULL || value[0] == '/' || value[n - 1] == '/' ||
			 strstr(value, "//") != NULL || strchr(value, ' ') != NULL))
		return fail(ctx, "project = %s: expected GROUP/PROJECT (subgroups too: "
			    "GROUP/SUB/PROJECT) or the project's numeric id", value);
	set_str(&ctx->cfg->gitlab.project, value);
	return 1;
}

static int
set_jira_url(struct parse_ctx *ctx, const char *key, const char *value)
{
	return set_url(ctx, key, value, &ctx->cfg->jira.url);
}

static int
set_linear_url(struct parse_ctx *ctx, const char *key, const char *value)
{
	return set_url(ctx, key, value, &ctx->cfg->linear.url);
}

static int
set_gdocs_url(struct parse_ctx *ctx, const char *key, const char *value)
{
	return set_url(ctx, key, value, &ctx->cfg->gdocs.url);
}

static int
set_gdocs_token_command(struct parse_ctx *ctx, const char *key, const char *value)
{
	(void)key;
	/* the line, for a message when the command fails */
	ctx->cfg->gdocs.token_command_line = ctx->line;
	set_str(&ctx->cfg->gdocs.token_command, value);
	return 1;
}

static int
set_confluence_url(struct parse_ctx *ctx, const char *key, const char *value)
{
	return set_url(ctx, key, value, &ctx->cfg->confluence.url);
}

static int
set_minutes_url(struct parse_ctx *ctx, const char *key, const char *value)
{
	return set_url(ctx, key, value, &ctx->cfg->minutes_url);
}

static int
set_webhook_url(struct parse_ctx *ctx, const char *key, const char *value)
{
	/* the line, for the mode check: a webhook URL is a secret */
	ctx->cfg->webhook_line = ctx->line;
	return set_url(ctx, key, value, &ctx->cfg->webhook_url);
}

static int
set_postmortems_url(struct parse_ctx *ctx, const char *key, const char *value)
{
	if (strncmp(value, "https://", 8) != 0 && strncmp(value, "http://", 7) != 0)
		return fail(ctx, "%s = %s: write the web address the postmortems are browsed "
			    "at, e.g. https://github.com/ORG/REPO/blob/main/", key, value);
	set_str(&ctx->cfg->postmortems_url, value);
	return 1;
}

static int
set_date_order(struct parse_ctx *ctx, const char *key, const char *value)
{
	if (strcmp(value, "ymd") == 0)
		ctx->cfg->date_order = DATE_ORDER_YMD;
	else if (strcmp(value, "mdy") == 0)
		ctx->cfg->date_order = DATE_ORDER_MDY;
	else if (strcmp(value, "dmy") == 0)
		ctx->cfg->date_order = DATE_ORDER_DMY;
	else
		return fail(ctx, "%s = %s: write ymd, mdy (03/04/2021 is March 4) or dmy "
			    "(3 April)", key, value);
	return 1;
}

static int
set_key_binding(struct parse_ctx *ctx, const char *key, const char *value)
{
	struct config *cfg = ctx->cfg;
	char *why = NULL;

	if (command_find(key) == NULL)
		return fail(ctx, "unknown action '%s' in [keys]; the help screen (F1) lists the "
			    "actions", key);
	/* the key names and the conflicts come from the one action table */
	if (command_key_check(key, value, cfg->keys, cfg->n_keys, &why) < 0) {
		fail(ctx, "%s", why);
		free(why);
		return 0;
	}
	cfg->keys = xreallocarray(cfg->keys, 2 * (cfg->n_keys + 1), sizeof(char *));
	cfg->keys[2 * cfg->n_keys] = xstrdup(key);
	cfg->keys[2 * cfg->n_keys + 1] = xstrdup(value);
	cfg->n_keys++;
	return 1;
}

enum config_value {
	CONFIG_STRING,		/* char *, "" clears it */
	CONFIG_LIST,		/* struct config_list, comma-separated, adds up */
	CONFIG_INT,		/* int from min to max */
	CONFIG_LONG,		/* long from min to max */
	CONFIG_CUSTOM,		/* set() checks and stores it */
};

/* Every section and key the file may hold, in the order furikaeri(5) and
 * the messages list them. A new key is one line here. A NULL key takes
 * any key of its section (names of people, actions). */
static const struct config_key {
	const char *section;
	const char *key;
	enum config_value type;
	size_t offset;		/* of the field in struct config */
	long min, max;
	int (*set)(struct parse_ctx *ctx, const char *key, const char *value);
} config_keys[] = {
	{ .section = "tracker", .key = "default", .type = CONFIG_CUSTOM,
	  .set = set_tracker_default },
	{ .section = "tracker", .key = "recheck_seconds", .type = CONFIG_CUSTOM,
	  .set = set_recheck },
	{ .section = "github", .key = "url", .type = CONFIG_CUSTOM, .set = set_github_url },
	{ .section = "github", .key = "repo", .type = CONFIG_CUSTOM, .set = set_github_repo },
	{ .section = "github", .key = "labels", .type = CONFIG_LIST,
	  .offset = offsetof(struct config, github.labels) },
	{ .section = "github", .key = "token_file", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, github.token_file) },
	{ .section = "jira", .key = "url", .type = CONFIG_CUSTOM, .set = set_jira_url },
	{ .section = "jira", .key = "api", .type = CONFIG_CUSTOM, .set = set_jira_api },
	{ .section = "jira", .key = "project", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, jira.project) },
	{ .section = "jira", .key = "issuetype", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, jira.issuetype) },
	{ .section = "jira", .key = "email", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, jira.email) },
	{ .section = "jira", .key = "labels", .type = CONFIG_LIST,
	  .offset = offsetof(struct config, jira.labels) },
	{ .section = "jira", .key = "components", .type = CONFIG_LIST,
	  .offset = offsetof(struct config, jira.components) },
	{ .section = "jira", .key = "priority_map", .type = CONFIG_CUSTOM,
	  .set = set_jira_priorities },
	{ .section = "jira", .key = "fields", .type = CONFIG_CUSTOM, .set = set_jira_fields },
	{ .section = "jira", .key = "token_file", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, jira.token_file) },
	{ .section = "jira", .key = "severity_field", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, jira.severity_field) },
	{ .section = "jira", .key = "measure_link", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, jira.measure_link) },
	{ .section = "gitlab", .key = "url", .type = CONFIG_CUSTOM, .set = set_gitlab_url },
	{ .section = "gitlab", .key = "project", .type = CONFIG_CUSTOM,
	  .set = set_gitlab_project },
	{ .section = "gitlab", .key = "labels", .type = CONFIG_LIST,
	  .offset = offsetof(struct config, gitlab.labels) },
	{ .section = "gitlab", .key = "token_file", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, gitlab.token_file) },
	{ .section = "linear", .key = "url", .type = CONFIG_CUSTOM, .set = set_linear_url },
	{ .section = "linear", .key = "team", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, linear.team) },
	{ .section = "linear", .key = "labels", .type = CONFIG_LIST,
	  .offset = offsetof(struct config, linear.labels) },
	{ .section = "linear", .key = "token_file", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, linear.token_file) },
	{ .section = "gdocs", .key = "url", .type = CONFIG_CUSTOM, .set = set_gdocs_url },
	{ .section = "gdocs", .key = "token_command", .type = CONFIG_CUSTOM,
	  .set = set_gdocs_token_command },
	{ .section = "confluence", .key = "url", .type = CONFIG_CUSTOM, .set = set_confluence_url },
	{ .section = "confluence", .key = "email", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, confluence.email) },
	{ .section = "confluence", .key = "token_file", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, confluence.token_file) },
	{ .section = "confluence", .key = "space", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, confluence.space) },
	{ .section = "confluence", .key = "parent", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, confluence.parent) },
	{ .section = "people", .key = NULL, .type = CONFIG_CUSTOM, .set = set_person },
	{ .section = "meeting", .key = "budget_minutes", .type = CONFIG_INT,
	  .offset = offsetof(struct config, budget_minutes), .min = 5, .max = 600 },
	{ .section = "meeting", .key = "floor_minutes", .type = CONFIG_INT,
	  .offset = offsetof(struct config, floor_minutes), .min = 1, .max = 60 },
	{ .section = "meeting", .key = "followup_days", .type = CONFIG_INT,
	  .offset = offsetof(struct config, followup_days), .min = 1, .max = 3650 },
	{ .section = "import", .key = "date_order", .type = CONFIG_CUSTOM,
	  .set = set_date_order },
	{ .section = "import", .key = "jira_projects", .type = CONFIG_LIST,
	  .offset = offsetof(struct config, jira_projects) },
	{ .section = "postmortems", .key = "root", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, postmortems_root) },
	{ .section = "postmortems", .key = "url", .type = CONFIG_CUSTOM,
	  .set = set_postmortems_url },
	{ .section = "postmortems", .key = "template", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, template_path) },
	{ .section = "postmortems", .key = "label", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, postmortems_label) },
	{ .section = "sources", .key = NULL, .type = CONFIG_CUSTOM, .set = set_source },
	{ .section = "headings", .key = NULL, .type = CONFIG_CUSTOM, .set = set_heading },
	{ .section = "minutes", .key = "folder", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, minutes_folder) },
	{ .section = "minutes", .key = "url", .type = CONFIG_CUSTOM,
	  .set = set_minutes_url },
	{ .section = "minutes", .key = "webhook_url", .type = CONFIG_CUSTOM,
	  .set = set_webhook_url },
	{ .section = "minutes", .key = "webhook_url_file", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, webhook_url_file) },
	{ .section = "http", .key = "ca_bundle", .type = CONFIG_STRING,
	  .offset = offsetof(struct config, ca_bundle) },
	{ .section = "http", .key = "connect_timeout", .type = CONFIG_LONG,
	  .offset = offsetof(struct config, connect_timeout_s), .min = 1, .max = 300 },
	{ .section = "http", .key = "timeout", .type = CONFIG_LONG,
	  .offset = offsetof(struct config, timeout_s), .min = 1, .max = 3600 },
	{ .section = "ui", .key = "ambiguous_width", .type = CONFIG_INT,
	  .offset = offsetof(struct config, ambiguous_width), .min = 1, .max = 2 },
	{ .section = "keys", .key = NULL, .type = CONFIG_CUSTOM, .set = set_key_binding },
	{ .section = "chat", .key = "service", .type = CONFIG_CUSTOM, .set = set_chat },
	{ .section = "chat", .key = "channel", .type = CONFIG_CUSTOM, .set = set_chat },
	{ .section = "chat", .key = "url", .type = CONFIG_CUSTOM, .set = set_chat },
	{ .section = "chat", .key = "token_file", .type = CONFIG_CUSTOM, .set = set_chat },
	{ .section = "chat", .key = "echo", .type = CONFIG_CUSTOM, .set = set_chat },
	{ .section = "chat", .key = "agree_reaction", .type = CONFIG_CUSTOM, .set = set_chat },
	{ .section = "chat", .key = "ticket_reaction", .type = CONFIG_CUSTOM, .set = set_chat },
	{ .section = "chat", .key = "poll_seconds", .type = CONFIG_LONG,
	  .offset = offsetof(struct config, chat.poll_s), .min = 1, .max = 3600 },
	{ .section = "chat", .key = "late_reply_hours", .type = CONFIG_LONG,
	  .offset = offsetof(struct config, chat.late_reply_hours), .min = 0, .max = 8760 },
	{ .section = "chat", .key = "remind_days", .type = CONFIG_LONG,
	  .offset = offsetof(struct config, chat.remind_days), .min = 0, .max = 365 },
};

#define CONFIG_N_KEYS (sizeof(config_keys) / sizeof(config_keys[0]))

static bool
section_known(const char *section)
{
	for (size_t i = 0; i < CONFIG_N_KEYS; i++)
		if (strcmp(config_keys[i].section, section) == 0)
			return true;
	return false;
}

/* "a, b and c": the sections, or the keys of one section, from the table. */
static char *
known_names(const char *section)
{
	struct strbuf sb = STRBUF_INIT;
	const char *names[CONFIG_N_KEYS];
	size_t n = 0;

	for (size_t i = 0; i < CONFIG_N_KEYS; i++) {
		const char *name = section == NULL ? config_keys[i].section : config_keys[i].key;
		bool seen = false;

		if (section != NULL && strcmp(config_keys[i].section, section) != 0)
			continue;
		for (size_t k = 0; k < n; k++)
			seen = seen || strcmp(names[k], name) == 0;
		if (!seen)
			names[n++] = name;
	}
	for (size_t k = 0; k < n; k++)
		strbuf_addf(&sb, "%s%s", k == 0 ? "" : k + 1 == n ? " and " : ", ", names[k]);
	return strbuf_detach(&sb);
}

static int
fail_unknown_section(struct parse_ctx *ctx, const char *section)
{
	char *names = known_names(NULL);

	fail(ctx, "unknown section [%s]; the sections are %s (furikaeri(5))", section, names);
	free(names);
	return 0;
}

static int
set_value(struct parse_ctx *ctx, const char *section, const char *key, const char *value)
{
	for (size_t i = 0; i < CONFIG_N_KEYS; i++) {
		const struct config_key *k = &config_keys[i];
		char *field = (char *)ctx->cfg + k->offset;
		long v;

		if (strcmp(k->section, section) != 0 || (k->key != NULL && strcmp(k->key, key) != 0))
			continue;
		switch (k->type) {
		case CONFIG_STRING:
			set_str((char **)(void *)field, value);
			return 1;
		case CONFIG_LIST:
			list_add((struct config_list *)(void *)field, value);
			return 1;
		case CONFIG_INT:
			if (!parse_long(ctx, key, value, k->min, k->max, &v))
				return 0;
			*(int *)(void *)field = (int)v;
			return 1;
		case CONFIG_LONG:
			return parse_long(ctx, key, value, k->min, k->max, (long *)(void *)field);
		case CONFIG_CUSTOM:
			return k->set(ctx, key, value);
		}
	}
	if (!section_known(section))
		return fail_unknown_section(ctx, section);
	char *names = known_names(section);
	fail(ctx, "unknown key '%s' in [%s]; the keys there are %s", key, section, names);
	free(names);
	return 0;
}

static int
handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *ctx = user;

	if (ctx->error != NULL)
		return 0;
	if (name == NULL)
		return section_known(section) ? 1 : fail_unknown_section(ctx, section);
	if (section[0] == '\0')
		return fail(ctx, "'%s' is outside any section; put it under [github], [jira], "
			    "... as furikaeri(5) shows", name);
	if (strcmp(section, "gitlab") == 0 && strcmp(name, "token") == 0)
		return fail(ctx, "token does not belong in the config file; set GITLAB_TOKEN, "
			    "or token_file = PATH (mode 0600)");
	if (strcmp(section, "chat") == 0 && strcmp(name, "token") == 0)
		return fail(ctx, "token does not belong in the config file; set SLACK_BOT_TOKEN "
			    "or MATTERMOST_TOKEN, or token_file = PATH (mode 0600)");
	return set_value(ctx, section, name, value);
}

/* A section line is checked where it stands, so that an unknown section
 * is named at its own line, even when no key follows it. */
static void
check_section_line(struct parse_ctx *ctx, const char *line, size_t len)
{
	size_t i = 0, end;
	char *name;

	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i >= len || line[i] != '[')
		return;
	end = i + 1;
	while (end < len && line[end] != ']' && line[end] != '\n')
		end++;
	if (end >= len || line[end] != ']')
		return;
	name = xasprintf("%.*s", (int)(end - i - 1), line + i + 1);
	char *trimmed = text_trim(name);
	if (!section_known(trimmed))
		fail_unknown_section(ctx, trimmed);
	free(trimmed);
	free(name);
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
	check_section_line(ctx, str, len);
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

/* Where each tracker's token comes from: its environment variables, in
 * order, then its section's token_file. */
static const struct {
	const char *tracker;	/* tracker_kind_name */
	const char *shown;
	const char *env[2];
	size_t file;		/* offsetof the section's token_file */
	size_t also;		/* another section's token_file that serves, or 0 */
} token_sources[] = {
	{ "github", "GitHub", { "GITHUB_TOKEN", "GH_TOKEN" },
	  offsetof(struct config, github.token_file), 0 },
	{ "jira", "Jira", { "JIRA_API_TOKEN", NULL }, offsetof(struct config, jira.token_file), 0 },
	{ "gitlab", "GitLab", { "GITLAB_TOKEN", NULL }, offsetof(struct config, gitlab.token_file), 0 },
	/* a personal API key (Settings > Account > Security & access) */
	{ "linear", "Linear", { "LINEAR_API_KEY", NULL }, offsetof(struct config, linear.token_file), 0 },
	/* an Atlassian API token is the account's: Jira's serves Confluence too */
	{ "confluence", "Confluence", { "CONFLUENCE_API_TOKEN", "JIRA_API_TOKEN" },
	  offsetof(struct config, confluence.token_file), offsetof(struct config, jira.token_file) },
};

char *
config_token(const struct config *cfg, const char *tracker, char **err)
{
	for (size_t i = 0; i < sizeof(token_sources) / sizeof(token_sources[0]); i++) {
		const char *v, *file;

		if (strcmp(tracker, token_sources[i].tracker) != 0)
			continue;
		for (int e = 0; e < 2 && token_sources[i].env[e] != NULL; e++)
			if ((v = getenv(token_sources[i].env[e])) != NULL && v[0] != '\0')
				return xstrdup(v);
		file = *(char *const *)(const void *)((const char *)cfg + token_sources[i].file);
		if (file == NULL && token_sources[i].also != 0)
			file = *(char *const *)(const void *)((const char *)cfg +
							      token_sources[i].also);
		if (file != NULL)
			return token_from_file(file, token_sources[i].shown, err);
		err_set(err, "no %s token: set %s%s%s%s, or token_file in [%s] of %s",
			token_sources[i].shown, token_sources[i].env[0],
			token_sources[i].env[1] ? " (or " : "",
			token_sources[i].env[1] ? token_sources[i].env[1] : "",
			token_sources[i].env[1] ? ")" : "", tracker,
			cfg->path ? cfg->path : "the config file");
		return NULL;
	}
	err_set(err, "unknown tracker '%s'", tracker);
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
