#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "furikaeri/cli.h"
#include "furikaeri/config.h"
#include "furikaeri/deliver_webhook.h"
#include "furikaeri/export_json.h"
#include "furikaeri/export_md.h"
#include "furikaeri/export_minutes.h"
#include "furikaeri/export_slack.h"
#include "furikaeri/store_minutes_doc.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

static char *
render(const struct minutes_doc *doc, const char *format)
{
	if (strcmp(format, "md") == 0)
		return export_md_minutes(doc);
	if (strcmp(format, "json") == 0)
		return export_json_minutes(doc);
	return export_slack_minutes(doc);
}

/* Posts the minutes through the delivery engine: never twice, and an
 * earlier post that may have arrived is not sent again unless asked. */
static int
post(struct cli *cli, const struct minutes_doc *doc, bool again)
{
	char *err = NULL, *msg = NULL, *text;
	struct config *cfg = config_load(cli->config_path, &err);
	enum deliver_webhook_result result;
	struct store *st;
	int rc;

	if (cfg == NULL) {
		cli_error("export", "%s", err);
		free(err);
		return EXIT_CONFIG;
	}
	/* the same places agenda --post reads: FURIKAERI_WEBHOOK_URL, then
	 * webhook_url_file, then webhook_url */
	char *url = config_webhook_url(cfg, &err);
	if (url == NULL) {
		cli_error("export", "%s", err);
		free(err);
		config_free(cfg);
		return EXIT_CONFIG;
	}
	xfree_secret(url);
	if ((st = cli_open_store(cli)) == NULL) {
		config_free(cfg);
		return EXIT_STORE;
	}
	text = export_slack_minutes(doc);
	rc = deliver_webhook_post(st, cfg, "minutes", doc->week, text, again, NULL, &result,
				  &msg, &err);
	free(text);
	store_free(st);
	config_free(cfg);
	if (rc < 0) {
		cli_error("export", "%s", err);
		free(err);
		free(msg);
		return EXIT_STORE;
	}
	rc = cli_webhook_outcome("export", result, msg);
	free(msg);
	return rc;
}

/* The Markdown links each postmortem as its reader reaches it, the way the
 * minutes written at wrap-up do: from the folder of -o PATH, or from the
 * current folder for standard output (see export_minutes_link_sources). */
static int
link_for_reader(struct cli *cli, struct minutes_doc *doc, const char *output)
{
	char *err = NULL, *folder;
	struct config *cfg = config_load(cli->config_path, &err);

	if (cfg == NULL) {
		cli_error("export", "%s", err);
		free(err);
		return EXIT_CONFIG;
	}
	const char *slash = output != NULL ? strrchr(output, '/') : NULL;
	if (slash == NULL)
		folder = xstrdup(".");
	else if (slash == output)
		folder = xstrdup("/");
	else
		folder = xstrndup(output, (size_t)(slash - output));
	export_minutes_link_sources(doc, cfg, folder);
	free(folder);
	config_free(cfg);
	return EXIT_OK;
}

int
cmd_export(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "week", .has_arg = required_argument, .val = 'w' },
		{ .name = "format", .has_arg = required_argument, .val = 'f' },
		{ .name = "output", .has_arg = required_argument, .val = 'o' },
		{ .name = "post", .has_arg = no_argument, .val = 'p' },
		{ .name = "again", .has_arg = no_argument, .val = 'a' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("export");
	const char *week_arg = NULL, *format = NULL, *output = NULL;
	char week[WEEK_STRLEN], today[11], *err = NULL, *text;
	bool do_post = false, again = false;
	struct minutes_doc *doc;
	struct store *st;
	struct week w;
	long day;
	int c, status = EXIT_OK;

	while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
		switch (c) {
		case 'w':
			week_arg = optarg;
			break;
		case 'f':
			format = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'p':
			do_post = true;
			break;
		case 'a':
			again = true;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if (!cli_no_operands("export", argc, argv, optind))
		return EXIT_USAGE;
	if (format == NULL && !do_post) {
		cli_error("export", "say which format: --format md, json or slack (or --post)");
		return EXIT_USAGE;
	}
	if (format != NULL && strcmp(format, "md") != 0 && strcmp(format, "json") != 0 &&
	    strcmp(format, "slack") != 0) {
		cli_error("export", "'%s' is not a format; use md, json or slack", format);
		return EXIT_USAGE;
	}
	if (output != NULL && format == NULL) {
		cli_error("export", "-o needs --format");
		return EXIT_USAGE;
	}
	if (week_arg != NULL) {
		if (!week_parse(week_arg, &w)) {
			cli_error("export", "'%s' is not an ISO week; write it as YYYY-Www, "
				  "e.g. 2026-W49", week_arg);
			return EXIT_USAGE;
		}
	} else {
		cli_today(today);
		if (!week_date_parse(today, &day)) {
			cli_error("export", "today's date '%s' is not YYYY-MM-DD; check "
				  "FURIKAERI_TODAY", today);
			return EXIT_USAGE;
		}
		w = week_of_day(day);
	}
	week_format(w, week);
	if ((st = cli_open_store(cli)) == NULL)
		return EXIT_STORE;
	doc = store_minutes_doc_load(st, week, &err);
	store_free(st);
	if (doc == NULL) {
		cli_error("export", "%s", err);
		free(err);
		return EXIT_FAILED;
	}
	if (format != NULL && strcmp(format, "md") == 0 &&
	    (status = link_for_reader(cli, doc, output)) != EXIT_OK) {
		minutes_doc_free(doc);
		return status;
	}
	if (format != NULL) {
		text = render(doc, format);
		struct stat sb;
		if (output == NULL) {
			fputs(text, stdout);
		} else if (stat(output, &sb) == 0 && S_ISDIR(sb.st_mode)) {
			/* the name to give: this export's week and format */
			cli_error("export", "%s is a folder; give the file to write in it, e.g. "
				  "%s/%s.%s", output, output, week, format);
			status = EXIT_FAILED;
		} else if (export_minutes_write_file(output, text, &err) < 0) {
			cli_error("export", "%s", err);
			free(err);
			status = EXIT_FAILED;
		}
		free(text);
	}
	if (status == EXIT_OK && do_post)
		status = post(cli, doc, again);
	minutes_doc_free(doc);
	return status;
}
