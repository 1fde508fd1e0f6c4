#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "furikaeri/config.h"

static char tmpdir[] = "/tmp/fk-test-config-XXXXXX";

static int
setup(void **state)
{
	(void)state;
	unsetenv("GITHUB_TOKEN");
	unsetenv("GH_TOKEN");
	unsetenv("JIRA_API_TOKEN");
	return mkdtemp(tmpdir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
write_file(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static void
test_full_file(void **state)
{
	(void)state;
	const char *text =
		"# team config\n"
		"[tracker]\n"
		"default = jira\n"
		"[github]\n"
		"url = https://ghe.example.com/api/v3\n"
		"repo = acme/pay\n"
		"labels = postmortem, prevention\n"
		"[jira]\n"
		"url = https://acme.atlassian.net\n"
		"api = 3\n"
		"project = OPS\n"
		"issuetype = Prevention\n"
		"email = bot@acme.example\n"
		"labels = postmortem\n"
		"components = Payments, API\n"
		"priority_map = SEV1:Highest, SEV2:High, SEV3:Medium\n"
		"fields = {\"customfield_10551\": {\"value\": \"Yes\"},\n"
		"  \"customfield_10020\": 5}\n"
		"[people]\n"
		"Aoi Tanaka = github:aoi-t jira:5b10a2844c20165700ede21g\n"
		"Ken = github:kenji\n"
		"[meeting]\n"
		"budget_minutes = 45\n"
		"[minutes]\n"
		"folder = /srv/minutes\n"
		"webhook_url = https://chat.example/hook\n"
		"[http]\n"
		"ca_bundle = /etc/ssl/acme.pem\n"
		"timeout = 20\n";
	char *err = NULL;
	struct config *cfg = config_parse(text, "config.ini", &err);

	assert_null(err);
	assert_non_null(cfg);
	assert_string_equal(cfg->tracker_default, "jira");
	assert_string_equal(cfg->github.url, "https://ghe.example.com/api/v3");
	assert_string_equal(cfg->github.repo, "acme/pay");
	assert_int_equal(cfg->github.labels.n, 2);
	assert_string_equal(cfg->github.labels.items[1], "prevention");
	assert_int_equal(cfg->jira.api, 3);
	assert_string_equal(cfg->jira.issuetype, "Prevention");
	assert_int_equal(cfg->jira.components.n, 2);
	assert_string_equal(config_priority_for(cfg, "SEV2"), "High");
	assert_null(config_priority_for(cfg, "SEV5"));
	assert_non_null(strstr(cfg->jira.fields, "customfield_10020"));
	assert_string_equal(config_person(cfg, "aoi tanaka")->jira, "5b10a2844c20165700ede21g");
	assert_string_equal(config_person(cfg, "Ken")->github, "kenji");
	assert_null(config_person(cfg, "Ken")->jira);
	assert_null(config_person(cfg, "Mei"));
	assert_int_equal(cfg->budget_minutes, 45);
	assert_string_equal(cfg->minutes_folder, "/srv/minutes");
	assert_string_equal(cfg->ca_bundle, "/etc/ssl/acme.pem");
	assert_int_equal(cfg->timeout_s, 20);
	assert_int_equal(cfg->connect_timeout_s, 10);
	config_free(cfg);
	config_free(NULL);
}

static void
expect_error(const char *text, const char *want1, const char *want2)
{
	char *err = NULL;
	struct config *cfg = config_parse(text, "team.ini", &err);

	assert_null(cfg);
	assert_non_null(err);
	if (strstr(err, want1) == NULL || (want2 && strstr(err, want2) == NULL))
		fail_msg("message \"%s\" lacks \"%s\" / \"%s\"", err, want1, want2 ? want2 : "");
	free(err);
}

static void
test_errors_name_file_line_key(void **state)
{
	(void)state;
	expect_error("[github]\nrepo = a/b\ncolour = red\n", "team.ini:3:", "'colour'");
	expect_error("[github]\n[wiki]\nurl = x\n", "team.ini:2:", "[wiki]");
	/* an unknown section is an error even with nothing in it */
	expect_error("[github]\nrepo = a/b\n[wiki]\n", "team.ini:3:", "unknown section [wiki]");
	expect_error("[wiki]\n", "team.ini:1:",
		     "the sections are tracker, github, jira, gitlab, linear, gdocs, confluence, people, "
		     "meeting, import, "
		     "postmortems, sources, headings, minutes, http, ui, keys and chat");
	/* the keys a section has come from the one table */
	expect_error("[github]\ncolour = red\n", "team.ini:2:",
		     "the keys there are url, repo, labels and token_file");
	expect_error("[http]\ntimeout = 0\n", "team.ini:2:", "from 1 to 3600");
	expect_error("[keys]\nfly = C-f\n", "team.ini:2:", "unknown action 'fly'");
	expect_error("[keys]\nnext = Ctrl-J\n", "team.ini:2:", "next = Ctrl-J: unknown key");
	expect_error("[keys]\nnext = F13\n", "team.ini:2:", "unknown key");
	expect_error("[minutes]\nwebhook_url = hooks.slack.com/x\n", "team.ini:2:",
		     "expected a URL starting with https://");
	expect_error("[jira]\nurl = acme.atlassian.net\n", "team.ini:2:", "https://");
	expect_error("stray = 1\n", "team.ini:1:", "outside any section");
	expect_error("[jira]\napi = 4\n", "team.ini:2:", "api = 4");
	expect_error("[tracker]\ndefault = gitea\n", "team.ini:2:", "github, jira, gitlab or linear");
	expect_error("[github]\nrepo = nonsense\n", "team.ini:2:", "OWNER/REPO");
	expect_error("[people]\nAoi = gitea:aoi\n", "team.ini:2:", "gitea:aoi");
	expect_error("[jira]\n\nfields = {\"a\": \n", "team.ini:3:", "JSON object");
	expect_error("[meeting]\nbudget_minutes = soon\n", "team.ini:2:", "whole number");
	expect_error("[github]\nthis line is not ini\n", "team.ini:2:", NULL);
	/* a key another action has is refused where it is written */
	expect_error("[keys]\nnext = C-j\nprev = Tab\n", "team.ini:3:",
		     "Tab is already the key of complete");
	expect_error("[keys]\nnext = C-j\nskip = C-j\n", "team.ini:3:",
		     "C-j is already the key of next");
	expect_error("[keys]\nnext = Ctrl-J\n", "team.ini:2:", "unknown key");
	expect_error("[ui]\nambiguous_width = 3\n", "team.ini:2:", "from 1 to 2");
	expect_error("[ui]\nwidth = 2\n", "team.ini:2:", "ambiguous_width");
}

static void
test_missing_files(void **state)
{
	(void)state;
	char path[256], *err = NULL;
	struct config *cfg;

	snprintf(path, sizeof(path), "%s/none.ini", tmpdir);
	assert_null(config_load(path, &err));
	assert_non_null(strstr(err, path));
	free(err);
	err = NULL;

	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	cfg = config_load(NULL, &err);
	assert_null(err);
	assert_non_null(cfg);
	assert_null(cfg->path);
	assert_int_equal(cfg->budget_minutes, 60);
	assert_string_equal(cfg->github.url, "https://api.github.com");
	config_free(cfg);
}

static void
test_tokens(void **state)
{
	(void)state;
	char path[256], ini[512], *err = NULL, *tok;
	struct config *cfg;

	snprintf(path, sizeof(path), "%s/gh-token", tmpdir);
	write_file(path, "ghp_filetoken123\n", 0644);
	snprintf(ini, sizeof(ini), "[github]\nrepo = a/b\ntoken_file = %s\n"
		 "[jira]\ntoken_file = %s/nothing\n", path, tmpdir);
	cfg = config_parse(ini, "c.ini", &err);
	assert_non_null(cfg);

	tok = config_token(cfg, "github", &err);
	assert_null(tok);
	assert_non_null(strstr(err, "chmod 600"));
	assert_non_null(strstr(err, path));
	assert_null(strstr(err, "ghp_filetoken123"));
	free(err);
	err = NULL;

	assert_int_equal(chmod(path, 0600), 0);
	tok = config_token(cfg, "github", &err);
	assert_string_equal(tok, "ghp_filetoken123");
	free(tok);

	setenv("GH_TOKEN", "from-gh", 1);
	tok = config_token(cfg, "github", &err);
	assert_string_equal(tok, "from-gh");
	free(tok);
	setenv("GITHUB_TOKEN", "from-github", 1);
	tok = config_token(cfg, "github", &err);
	assert_string_equal(tok, "from-github");
	free(tok);
	unsetenv("GITHUB_TOKEN");
	unsetenv("GH_TOKEN");

	assert_null(config_token(cfg, "jira", &err));
	assert_non_null(err);
	free(err);
	err = NULL;
	setenv("JIRA_API_TOKEN", "jira-tok", 1);
	tok = config_token(cfg, "jira", &err);
	assert_string_equal(tok, "jira-tok");
	free(tok);
	/* Confluence: its own token first, else the Atlassian account's Jira token */
	tok = config_token(cfg, "confluence", &err);
	assert_string_equal(tok, "jira-tok");
	free(tok);
	setenv("CONFLUENCE_API_TOKEN", "conf-tok", 1);
	tok = config_token(cfg, "confluence", &err);
	assert_string_equal(tok, "conf-tok");
	free(tok);
	unsetenv("CONFLUENCE_API_TOKEN");
	unsetenv("JIRA_API_TOKEN");
	config_free(cfg);
	cfg = config_parse("[confluence]\nurl = https://acme.atlassian.net\nemail = a@acme.example\n"
			   "space = OPS\nparent = 123456\n", "c.ini", &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->confluence.url, "https://acme.atlassian.net");
	assert_string_equal(cfg->confluence.space, "OPS");
	assert_string_equal(cfg->confluence.parent, "123456");
	assert_null(config_token(cfg, "confluence", &err));
	assert_non_null(strstr(err, "CONFLUENCE_API_TOKEN"));
	free(err);
	err = NULL;
	config_free(cfg);
}

/* [gitlab]: url defaults to gitlab.com, project is a path (subgroups too)
 * or an id; the token comes from GITLAB_TOKEN or a 0600 token_file, never
 * from the file itself; people map to GitLab usernames. */
static void
test_gitlab(void **state)
{
	char path[256], ini[512], *err = NULL, *tok;
	struct config *cfg;

	(void)state;
	snprintf(path, sizeof(path), "%s/gl-token", tmpdir);
	write_file(path, "glpat-filetoken\n", 0644);
	snprintf(ini, sizeof(ini), "[tracker]\ndefault = gitlab\n[gitlab]\nproject = acme/sre/pay\n"
		 "labels = prevention\ntoken_file = %s\n[people]\nAoi = gitlab:aoi jira:5b10\n",
		 path);
	cfg = config_parse(ini, "c.ini", &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->gitlab.url, "https://gitlab.com");
	assert_string_equal(cfg->gitlab.project, "acme/sre/pay");
	assert_string_equal(cfg->gitlab.labels.items[0], "prevention");
	assert_string_equal(config_person(cfg, "Aoi")->gitlab, "aoi");
	tok = config_token(cfg, "gitlab", &err);
	assert_null(tok);
	assert_non_null(strstr(err, "chmod 600"));
	free(err);
	err = NULL;
	assert_int_equal(chmod(path, 0600), 0);
	tok = config_token(cfg, "gitlab", &err);
	assert_string_equal(tok, "glpat-filetoken");
	free(tok);
	setenv("GITLAB_TOKEN", "from-env", 1);
	tok = config_token(cfg, "gitlab", &err);
	assert_string_equal(tok, "from-env");
	free(tok);
	unsetenv("GITLAB_TOKEN");
	config_free(cfg);

	cfg = config_parse("[gitlab]\nproject = 4711\nurl = https://git.example.com\n", "c.ini",
			   &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->gitlab.project, "4711");
	config_free(cfg);
	expect_error("[gitlab]\nproject = pay\n", "team.ini:2:", "expected GROUP/PROJECT");
	expect_error("[gitlab]\ntoken = glpat-x\n", "team.ini:2:", "GITLAB_TOKEN");
}

static void
test_chat(void **state)
{
	(void)state;
	char path[256], ini[512], *err = NULL, *tok;
	struct config *cfg;

	cfg = config_parse("", "c.ini", &err);
	assert_null(cfg->chat.service);
	assert_int_equal(cfg->chat.echo, CONFIG_CHAT_ECHO_DECISIONS);
	assert_string_equal(cfg->chat.agree_reaction, "white_check_mark");
	assert_string_equal(cfg->chat.ticket_reaction, "ticket");
	assert_int_equal(cfg->chat.poll_s, 5);
	assert_null(config_chat_token(cfg, &err));
	assert_non_null(strstr(err, "service = slack"));
	free(err);
	err = NULL;
	config_free(cfg);

	snprintf(path, sizeof(path), "%s/slack-token", tmpdir);
	write_file(path, "xoxb-file-token\n", 0640);
	snprintf(ini, sizeof(ini), "[chat]\nservice = slack\nchannel = #postmortems\n"
		 "echo = all\nagree_reaction = :+1:\nticket_reaction = admission_tickets\n"
		 "poll_seconds = 3\ntoken_file = %s\n", path);
	cfg = config_parse(ini, "c.ini", &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->chat.service, "slack");
	assert_string_equal(cfg->chat.channel, "#postmortems");
	assert_int_equal(cfg->chat.echo, CONFIG_CHAT_ECHO_ALL);
	assert_string_equal(cfg->chat.agree_reaction, "+1");
	assert_string_equal(cfg->chat.ticket_reaction, "admission_tickets");
	assert_int_equal(cfg->chat.poll_s, 3);
	assert_string_equal(config_chat_url(cfg), "https://slack.com/api/");

	unsetenv("SLACK_BOT_TOKEN");
	assert_null(config_chat_token(cfg, &err));
	assert_non_null(strstr(err, "chmod 600"));
	assert_null(strstr(err, "xoxb-file-token"));
	free(err);
	err = NULL;
	assert_int_equal(chmod(path, 0600), 0);
	tok = config_chat_token(cfg, &err);
	assert_string_equal(tok, "xoxb-file-token");
	free(tok);
	setenv("SLACK_BOT_TOKEN", "xoxb-env", 1);
	tok = config_chat_token(cfg, &err);
	assert_string_equal(tok, "xoxb-env");
	free(tok);
	unsetenv("SLACK_BOT_TOKEN");
	config_free(cfg);

	cfg = config_parse("[chat]\nservice = mattermost\nurl = https://mm.example\n"
			   "echo = none\n", "c.ini", &err);
	assert_non_null(cfg);
	assert_int_equal(cfg->chat.echo, CONFIG_CHAT_ECHO_NONE);
	assert_string_equal(config_chat_url(cfg), "https://mm.example");
	assert_null(config_chat_token(cfg, &err));
	assert_non_null(strstr(err, "MATTERMOST_TOKEN"));
	free(err);
	err = NULL;
	setenv("MATTERMOST_TOKEN", "mm-tok", 1);
	tok = config_chat_token(cfg, &err);
	assert_string_equal(tok, "mm-tok");
	free(tok);
	unsetenv("MATTERMOST_TOKEN");
	config_free(cfg);

	assert_null(config_parse("[chat]\nservice = teams\n", "c.ini", &err));
	assert_non_null(strstr(err, "c.ini:2: service = teams: expected slack or mattermost"));
	free(err);
	err = NULL;
	assert_null(config_parse("[chat]\n\necho = loud\n", "c.ini", &err));
	assert_non_null(strstr(err, "c.ini:3: echo = loud"));
	free(err);
	err = NULL;
	assert_null(config_parse("[chat]\ntoken = xoxb-secret\n", "c.ini", &err));
	assert_non_null(strstr(err, "SLACK_BOT_TOKEN"));
	assert_null(strstr(err, "xoxb-secret"));
	free(err);
	err = NULL;
	assert_null(config_parse("[chat]\nagree_reaction = two words\n", "c.ini", &err));
	assert_non_null(strstr(err, "emoji name"));
	free(err);
	err = NULL;
	assert_null(config_parse("[chat]\npoll_seconds = 0\n", "c.ini", &err));
	free(err);
	err = NULL;
	{
		struct config *late = config_parse("[chat]\nservice = slack\nchannel = #pm\n",
						   "c.ini", &err);

		assert_non_null(late);
		assert_int_equal(late->chat.late_reply_hours, 48);
		config_free(late);
		late = config_parse("[chat]\nlate_reply_hours = 0\n", "c.ini", &err);
		assert_non_null(late);
		assert_int_equal(late->chat.late_reply_hours, 0);
		config_free(late);
	}
	assert_null(config_parse("[chat]\nlate_reply_hours = -1\n", "c.ini", &err));
	free(err);
}

/* The keys of postmortems kept as issues and of new postmortems. */
static void
test_sources_and_template(void **state)
{
	const char *text = "[jira]\nseverity_field = customfield_10042\n"
			   "measure_link = is caused by\n"
			   "[postmortems]\ntemplate = /team/pm.md\nlabel = incident-review\n"
			   "[sources]\npay = github:acme/pay label=incident\n"
			   "ops = jira:project = OPS AND issuetype = \"Post-incident review\"\n";
	char *err = NULL;
	struct config *cfg = config_parse(text, "c.ini", &err);

	(void)state;
	assert_non_null(cfg);
	assert_string_equal(cfg->jira.severity_field, "customfield_10042");
	assert_string_equal(cfg->jira.measure_link, "is caused by");
	assert_string_equal(cfg->template_path, "/team/pm.md");
	assert_string_equal(cfg->postmortems_label, "incident-review");
	assert_int_equal(cfg->sources.n, 2);
	assert_string_equal(cfg->source_names.items[0], "pay");
	assert_string_equal(cfg->sources.items[0], "github:acme/pay label=incident");
	assert_string_equal(cfg->sources.items[1],
			    "jira:project = OPS AND issuetype = \"Post-incident review\"");
	config_free(cfg);
	cfg = config_parse("[sources]\nx = gitea:a/b\n", "c.ini", &err);
	assert_null(cfg);
	assert_string_equal(err, "c.ini:2: [sources] x = gitea:a/b: expected github:OWNER/REPO, "
			    "gitlab:GROUP/PROJECT, jira:JQL, confluence:SPACE[/PARENT-PAGE-ID] or "
			    "gdocs:FOLDER_ID");
	free(err);
	err = NULL;
	/* Google Docs: the folder a source, the token from a command */
	cfg = config_parse("[gdocs]\nurl = http://127.0.0.1:9\n"
			   "token_command = gcloud auth print-access-token\n"
			   "[sources]\ndocs = gdocs:1AbC\n", "c.ini", &err);
	assert_non_null(cfg);
	assert_string_equal(cfg->gdocs.url, "http://127.0.0.1:9");
	assert_string_equal(cfg->gdocs.token_command, "gcloud auth print-access-token");
	assert_int_equal(cfg->gdocs.token_command_line, 3);
	assert_string_equal(cfg->sources.items[0], "gdocs:1AbC");
	config_free(cfg);
	cfg = config_parse("", "c.ini", &err);
	assert_string_equal(cfg->gdocs.url, "https://www.googleapis.com");
	assert_null(cfg->gdocs.token_command);
	config_free(cfg);
	cfg = config_parse("[postmortems]\nfolder = x\n", "c.ini", &err);
	assert_null(cfg);
	assert_non_null(strstr(err, "c.ini:2: unknown key 'folder' in [postmortems]"));
	free(err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_full_file),
		cmocka_unit_test(test_errors_name_file_line_key),
		cmocka_unit_test(test_missing_files),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_gitlab),
		cmocka_unit_test(test_sources_and_template),
		cmocka_unit_test(test_chat),
	};

	return cmocka_run_group_tests_name("config", tests, setup, teardown);
}
