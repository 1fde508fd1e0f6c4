#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "furikaeri/cli.h"
#include "furikaeri/completion.h"
#include "furikaeri/paths.h"
#include "furikaeri/store.h"
#include "furikaeri/xalloc.h"

static const char *const completion_kinds[] = {
	[STORE_WORDS_POSTMORTEMS] = "postmortems",
	[STORE_WORDS_PEOPLE] = "people",
	[STORE_WORDS_WEEKS] = "weeks",
};

/* A word the shell can take whole: no control characters (a newline would
 * split it into two). */
static bool
printable(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* --list: the words of the store, one a line. Quiet on every failure (no
 * store yet, an older or damaged one, a lock): the shell then offers
 * nothing, and the user's line is not cluttered with messages. */
static int
list_words(struct cli *cli, enum store_words kind)
{
	char *path, *err = NULL, **words = NULL, week[9];
	size_t n = 0;
	bool this_week_seen = false;
	int status = EXIT_OK;

	path = cli->db_path ? xstrdup(cli->db_path) : paths_default_db(&err);
	if (path != NULL && access(path, F_OK) == 0 && store_words(path, kind, &words, &n, &err) < 0)
		status = EXIT_FAILED;
	cli_this_week(week);
	for (size_t i = 0; i < n; i++) {
		/* this week comes first, whether the store has it or not */
		if (kind == STORE_WORDS_WEEKS && strcmp(words[i], week) == 0)
			this_week_seen = true;
	}
	if (kind == STORE_WORDS_WEEKS && status == EXIT_OK)
		printf("%s\n", week);
	for (size_t i = 0; i < n; i++)
		if (printable(words[i]) && !(this_week_seen && strcmp(words[i], week) == 0))
			printf("%s\n", words[i]);
	store_ids_free(words, n);
	free(err);
	free(path);
	return status;
}

int
cmd_completion(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "list", .has_arg = required_argument, .val = 'l' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("completion");
	const char *list = NULL;
	char *script;
	int c;

	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'l':
			list = optarg;
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if (list != NULL) {
		if (!cli_no_operands("completion", argc, argv, optind))
			return EXIT_USAGE;
		for (size_t k = 0; k < sizeof(completion_kinds) / sizeof(completion_kinds[0]); k++)
			if (strcmp(list, completion_kinds[k]) == 0)
				return list_words(cli, (enum store_words)k);
		cli_error("completion", "--list takes weeks, postmortems or people, not '%s'", list);
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		cli_error("completion", "which shell? furikaeri completion bash, or zsh");
		cli_usage(cmd, false);
		return EXIT_USAGE;
	}
	if (!cli_no_operands("completion", argc, argv, optind + 1))
		return EXIT_USAGE;
	script = completion_script(argv[optind]);
	if (script == NULL) {
		cli_error("completion", "no completion for the shell '%s'; bash and zsh have one",
			  argv[optind]);
		return EXIT_USAGE;
	}
	fputs(script, stdout);
	free(script);
	return EXIT_OK;
}
