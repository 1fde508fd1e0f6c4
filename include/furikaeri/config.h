#ifndef FURIKAERI_CONFIG_H
#define FURIKAERI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* The INI config file ($XDG_CONFIG_HOME/furikaeri/config.ini, or --config
 * PATH), described in furikaeri(5). Sections and keys:
 *
 *   [tracker]  default = github | jira | linear, recheck_seconds = SECONDS (120)
 *   [github]   url (default https://api.github.com; GitHub Enterprise Server:
 *              https://HOST/api/v3), repo = OWNER/REPO, labels = a, b,
 *              token_file = PATH
 *   [jira]     url = https://SITE.atlassian.net, api = 3 (Cloud) | 2 (Data
 *              Center / Server), project = KEY, issuetype = NAME (default
 *              Task), email (Cloud: Basic auth user), labels = a, b,
 *              components = a, b, priority_map = SEV1:Highest, SEV2:High, ...,
 *              fields = a JSON object merged into the created issue's fields
 *              (continue a long one on indented lines), token_file = PATH
 *              severity_field = a field id (customfield_NNNNN) or name whose
 *              value is an imported issue's severity, measure_link = the
 *              issue link type (as Jira names it, e.g. "is caused by")
 *              whose linked issues are an imported postmortem's measures
 *   [gitlab]   url (default https://gitlab.com; self-managed: https://HOST),
 *              project = GROUP/SUBGROUP/PROJECT or a numeric id,
 *              labels = a, b, token_file = PATH (mode 0600)
 *   [linear]   url (default https://api.linear.app/graphql), team = KEY
 *              (the team's issue key, e.g. ENG), labels = a, b (label
 *              names), token_file = PATH
 *   [people]   Display Name = github:LOGIN jira:ACCOUNT_ID gitlab:USERNAME
 *              linear:EMAIL (any part may be left out; on Jira Data Center
 *              the jira: part is the user name; linear: is the Linear
 *              user's email, or without an @ their display name; names
 *              compare ignoring ASCII case)
 *   [meeting]  budget_minutes = 60, floor_minutes = 3 (an item's least
 *              budget; what does not fit waits "if time permits"),
 *              followup_days = 90 (open imported
 *              measures of postmortems dated in these days are follow-ups)
 *   [postmortems] root = PATH (sources are stored relative to it; else to
 *              the git work tree), url = https://github.com/ORG/REPO/blob/main/
 *              (the minutes link postmortems there), template = PATH (what
 *              `furikaeri new` starts from), label = postmortem (the label
 *              of an issue `new --tracker` files)
 *   [import]   date_order = ymd | mdy | dmy (how 03/04/2021 reads; unset:
 *              reported), jira_projects = OPS, SRE (bare keys of these only)
 *   [minutes]  folder = PATH, url = https://... (the folder on the web
 *              where the team's repository has the exported minutes: the
 *              chat's wrap-up links url/YYYY-Www.md; unset, no link),
 *              webhook_url = URL (a config of mode 0600
 *              only), webhook_url_file = PATH (mode 0600)
 *   [http]     ca_bundle = PATH, connect_timeout = SECONDS (10),
 *              timeout = SECONDS (30)
 *   [confluence] url = https://SITE.atlassian.net, email (both default to
 *              [jira]'s), token_file = PATH (mode 0600), space = KEY and
 *              parent = PAGE-ID (where `new --to confluence` puts a page)
 *   [sources]  NAME = github:OWNER/REPO [label=L] [state=open|closed|all]
 *              or NAME = jira:JQL or NAME = confluence:SPACE[/PARENT-ID]
 *              [label=L]: what a plain `furikaeri import` refreshes
 *   [ui]       ambiguous_width = 1|2
 *   [keys]     ACTION = KEY, rebinding the meeting screen's keys (next = C-j)
 *   [chat]     service = slack | mattermost, channel = #NAME or an id,
 *              url (Slack: https://slack.com/api/ by default; Mattermost:
 *              the server), token_file = PATH (mode 0600),
 *              echo = all | decisions | none (decisions), agree_reaction
 *              (white_check_mark), ticket_reaction (ticket),
 *              poll_seconds = SECONDS (5), late_reply_hours = HOURS (48),
 *              remind_days = N (2: furikaeri remind, measures due within N days)
 *
 * Lists are comma-separated. '#' or ';' at the start of a line starts a
 * comment. Unknown sections and keys are errors naming file:line. Tokens
 * are never part of this struct: config_token reads them when needed. */

struct config_person {
	char *name;
	char *github;		/* login, or NULL when not mapped */
	char *jira;		/* account id (Cloud) or user name (DC), or NULL */
	char *gitlab;		/* username, or NULL when not mapped */
	char *linear;		/* email, or display name (no '@'), or NULL */
};

struct config_list {
	char **items;
	size_t n;
};

struct config_priority {
	char *severity;		/* "SEV1".."SEV5" */
	char *priority;		/* the Jira priority name */
};

/* Which terminal entries are echoed into the item's thread. */
enum config_chat_echo {
	CONFIG_CHAT_ECHO_DECISIONS,	/* decisions and actions (the default) */
	CONFIG_CHAT_ECHO_ALL,
	CONFIG_CHAT_ECHO_NONE,
};

struct config {
	char *path;		/* the file read, or NULL when none was */
	char *tracker_default;	/* "github", "jira" or NULL */
	struct {
		char *url;
		char *repo;
		struct config_list labels;
		char *token_file;
	} github;
	struct {
		char *url;
		int api;	/* 3 or 2 */
		char *project;
		char *issuetype;
		char *email;
		struct config_list labels;
		struct config_list components;
		struct config_priority *priorities;
		size_t n_priorities;
		char *fields;	/* JSON object text, validated at load */
		char *token_file;
		char *severity_field;
		char *measure_link;
	} jira;
	struct {
		char *url;	/* the server, without /api/v4 */
		char *project;	/* path (group/sub/proj) or numeric id */
		struct config_list labels;
		char *token_file;
	} gitlab;
	struct {
		char *url;	/* the GraphQL endpoint */
		char *team;	/* the team's key ("ENG"), or NULL: not configured */
		struct config_list labels;
		char *token_file;
	} linear;
	struct {
		char *url;	/* the Drive API's host (https://www.googleapis.com) */
		/* argv of a command that prints an OAuth access token, split
		 * on blanks and run without a shell ("gcloud auth
		 * print-access-token"), or NULL */
		char *token_command;
		int token_command_line;
	} gdocs;
	/* [confluence]: Confluence Cloud (REST v2); url and email default to
	 * [jira]'s, the same Atlassian account's API token serves both */
	struct {
		char *url;
		char *email;
		char *token_file;
		char *space;	/* new --to confluence: the space's key */
		char *parent;	/* new --to confluence: the parent page's id */
	} confluence;
	struct config_person *people;
	size_t n_people;
	int budget_minutes;
	int floor_minutes;
	int followup_days;
	int date_order;		/* enum date_order */
	struct config_list jira_projects;
	char *postmortems_root;
	char *postmortems_url;
	char *minutes_folder;
	char *minutes_url;	/* [minutes] url: the minutes folder on the web, or NULL */
	char *webhook_url;	/* only from a file of mode 0600 */
	int webhook_line;
	char *webhook_url_file;
	char *ca_bundle;
	long connect_timeout_s;
	long timeout_s;
	long recheck_s;		/* [tracker] recheck_seconds (120) */
	int recheck_line;	/* its line in the file, 0 when not set */
	char *template_path;	/* [postmortems] template, or NULL */
	char *postmortems_label; /* [postmortems] label (`new --tracker`), or NULL: postmortem */
	struct config_list source_names;	/* [sources]: NAME */
	struct config_list sources;		/* and its spec, in the same order */
	/* [headings]: KEY = HEADING[, HEADING...]: the team's headings for a
	 * section, added to the lists (each pair in the same order) */
	struct config_list heading_keys;
	struct config_list heading_names;
	/* [ui] ambiguous_width: columns of East Asian ambiguous characters
	 * (1 or 2); 0 when not set (the UI picks 2 in CJK locales) */
	int ambiguous_width;
	char **keys;		/* [keys]: action, key, action, key, ... */
	size_t n_keys;		/* pairs */
	struct {
		char *service;		/* "slack", "mattermost" or NULL (no chat) */
		char *channel;		/* "#postmortems", "postmortems" or an id */
		char *url;		/* NULL: the service's default (Slack) */
		char *token_file;
		enum config_chat_echo echo;
		char *agree_reaction;	/* emoji name without colons */
		char *ticket_reaction;
		long poll_s;		/* seconds between polls of the open thread */
		long late_reply_hours;	/* the threads are read this long after the end */
		long remind_days;	/* furikaeri remind: measures due within (2) */
	} chat;
};

/* Reads the config file at path (owned result). When path is NULL the
 * default path is used and a missing file gives the defaults; a missing
 * file given explicitly is an error. Errors name file:line and the key. */
struct config *config_load(const char *path, char **err);
/* Parses text as if read from a file called name (for tests and --config -). */
struct config *config_parse(const char *text, const char *name, char **err);
/* The defaults, as for a missing file. */
struct config *config_new(void);
void config_free(struct config *cfg);

/* The person with this display name (borrowed), or NULL. */
const struct config_person *config_person(const struct config *cfg, const char *name);
/* The Jira priority for a severity (borrowed), or NULL when not mapped. */
const char *config_priority_for(const struct config *cfg, const char *severity);

/* The token for "github" (GITHUB_TOKEN, then GH_TOKEN, then
 * [github] token_file), "jira" (JIRA_API_TOKEN, then [jira] token_file),
 * "gitlab" (GITLAB_TOKEN, then [gitlab] token_file) or "confluence"
 * (CONFLUENCE_API_TOKEN, then [confluence] token_file, then Jira's: an
 * Atlassian API token is the account's, for every product).
 * Owned; the caller wipes and frees it. A token file readable by others is
 * refused with a message saying "chmod 600 FILE". NULL with *err when no
 * token can be found. The token is never copied into *err. */
char *config_token(const struct config *cfg, const char *tracker, char **err);
/* The chat token for cfg->chat.service: SLACK_BOT_TOKEN or
 * MATTERMOST_TOKEN, then [chat] token_file (mode 0600). Owned; the caller
 * wipes and frees it; never copied into *err. */
char *config_chat_token(const struct config *cfg, char **err);
/* The chat API base URL: [chat] url, or https://slack.com/api/ for Slack
 * (borrowed; NULL for Mattermost without url). */
const char *config_chat_url(const struct config *cfg);

/* The chat webhook's URL, a secret: FURIKAERI_WEBHOOK_URL, then [minutes]
 * webhook_url_file (mode 0600), then webhook_url. Owned. */
char *config_webhook_url(const struct config *cfg, char **err);

#endif
