#ifndef FURIKAERI_CLI_H
#define FURIKAERI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "furikaeri/blameless.h"
#include "furikaeri/config.h"
#include "furikaeri/deliver_webhook.h"
#include "furikaeri/headings.h"
#include "furikaeri/store.h"

/* The command line: global options, the command table, exit codes. */

/* Exit codes, as documented in furikaeri(1). */
enum cli_exit {
	EXIT_OK = 0,
	EXIT_FAILED = 1,	/* the command ran, but something failed or was not found */
	EXIT_USAGE = 2,		/* bad command line */
	EXIT_STORE = 3,		/* the database cannot be opened or used */
	EXIT_CONFIG = 4,	/* the config file is missing or wrong */
	EXIT_TRACKER = 5,	/* a tracker, webhook or chat request failed */
};

struct cli {
	const char *db_path;	/* --db, or NULL for the default */
	const char *config_path;	/* --config, or NULL for the default */
	int verbose;
	const char *prog;	/* "furikaeri" */
	bool config_checked;	/* the config file was read once */
	bool config_failed;	/* ...and was missing or wrong: exit EXIT_CONFIG */
};

struct cli_command {
	const char *name;
	const char *args;	/* synopsis after the name */
	const char *summary;	/* one line for `furikaeri --help` */
	const char *help;	/* the rest of `furikaeri NAME --help` */
	int (*run)(struct cli *cli, int argc, char **argv);
};

/* The program's synopsis and its own options, as `furikaeri --help` prints
 * them (shell completion reads them too). */
extern const char cli_synopsis[];
extern const char cli_global_options[];

/* Every command, in the order `furikaeri --help` lists them. */
extern const struct cli_command cli_commands[];
extern const size_t cli_n_commands;

/* Opens the store named by --db, FURIKAERI_DB or the default path, after
 * checking the config file (cli_check_config); prints the reason and
 * returns NULL on failure. */
struct store *cli_open_store(struct cli *cli);
/* Loads the heading synonyms: the shipped data folder's headings/, then the
 * team's $XDG_CONFIG_HOME/furikaeri/headings/. Prints the reason and
 * returns NULL on failure. */
struct headings *cli_load_headings(const struct config *cfg);
/* Reads the config file once to validate it, for every command: a
 * missing --config file, an unknown section or key or a bad value is
 * printed with file:line and makes the command exit EXIT_CONFIG. */
bool cli_check_config(struct cli *cli);
/* True when the data folder holds every one of names (relative to it);
 * else prints what is missing (main's exit is then EXIT_CONFIG). */
bool cli_require_data(const char *const *names, size_t n);
/* Loads the config file (--config, else the default path, which may be
 * missing); prints the reason and returns NULL on failure. */
struct config *cli_load_config(struct cli *cli);
/* Loads the wording-hint phrase lists: the shipped blameless/NAME.txt files, then the
 * team's $XDG_CONFIG_HOME/furikaeri/blameless/NAME.txt. NULL after printing the
 * reason on failure. */
struct blameless *cli_load_hints(void);
/* The current ISO week (of cli_today) into out. */
void cli_this_week(char out[9]);
/* Prints "furikaeri NAME: message" to stderr. */
void cli_error(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Says how a webhook post ended (msg, from deliver_webhook_post) on
 * standard error and returns the exit status: EXIT_OK when it was posted
 * now or before, EXIT_TRACKER otherwise. */
int cli_webhook_outcome(const char *command, enum deliver_webhook_result result,
			const char *msg);
/* Prints the usage of one command (to stdout when ok, else to stderr). */
void cli_usage(const struct cli_command *cmd, bool ok);
/* The command of this name (borrowed), or NULL. */
const struct cli_command *cli_find(const char *name);
/* Parses a command's options: --json (when json is not NULL) and --help.
 * Returns the index of the first operand, or -1 after printing usage (with
 * *status set to the exit code to return). */
int cli_parse_simple(const char *name, int argc, char **argv, bool *json, int *status);
/* The end of every command's option loop, for what the command does not
 * handle itself: -h/--help prints the usage and succeeds, any other
 * option is reported with the usage. Returns the exit status. */
int cli_option_end(const struct cli_command *cmd, int c);
/* True when argv has nothing from first on; else says what is
 * unexpected (the command given its name) and returns false. */
bool cli_no_operands(const char *name, int argc, char **argv, int first);
/* Prints rows as aligned columns (id, date, severity, status, title), with
 * the match and a snippet under each when with_match; text sanitised. */
void cli_print_rows(const struct store_rows *rows, bool with_match);
/* Writes the meeting screen's commands and keys, from the action table, as
 * the roff that furikaeri(1) holds (tests compare the two). */
void cli_print_keys_roff(FILE *out);
/* Today's date as YYYY-MM-DD (FURIKAERI_TODAY overrides it, for tests). */
void cli_today(char out[11]);

int cmd_agenda(struct cli *cli, int argc, char **argv);
int cmd_import(struct cli *cli, int argc, char **argv);
int cmd_new(struct cli *cli, int argc, char **argv);
/* Whether an import's arguments name tracker sources (github:, jira:,
 * --label, --state, --full) or nothing at all ([sources] of the config). */
bool cmd_import_wants_sources(int argc, char **argv);
/* The import of sources, and of any paths given with them. */
int cmd_import_sources(struct cli *cli, int argc, char **argv);
int cmd_list(struct cli *cli, int argc, char **argv);
int cmd_show(struct cli *cli, int argc, char **argv);
int cmd_search(struct cli *cli, int argc, char **argv);
int cmd_demo(struct cli *cli, int argc, char **argv);
int cmd_meeting(struct cli *cli, int argc, char **argv);
int cmd_roster(struct cli *cli, int argc, char **argv);
/* roster sync: chat ids found by e-mail (cmd_roster_sync.c). */
int cmd_roster_sync(struct cli *cli);
int cmd_tickets(struct cli *cli, int argc, char **argv);
int cmd_doctor(struct cli *cli, int argc, char **argv);
/* Opens the meeting screen on a week (the demo and `meeting` share it).
 * minutes_folder, when not NULL, is where the wrap-up writes the minutes
 * in place of the config's (the demo's own folder). */
int cli_run_meeting(struct cli *cli, struct store *st, const char *week,
		    const char *minutes_folder);
int cmd_export(struct cli *cli, int argc, char **argv);
int cmd_actions(struct cli *cli, int argc, char **argv);
int cmd_remind(struct cli *cli, int argc, char **argv);
int cmd_stats(struct cli *cli, int argc, char **argv);
int cmd_history(struct cli *cli, int argc, char **argv);
int cmd_completion(struct cli *cli, int argc, char **argv);

#endif
