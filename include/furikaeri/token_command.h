#ifndef FURIKAERI_TOKEN_COMMAND_H
#define FURIKAERI_TOKEN_COMMAND_H

/* A token printed by a command ([gdocs] token_command = gcloud auth
 * print-access-token): the command line is split on blanks (single and
 * double quotes keep blanks in one argument) and run without a shell,
 * its standard input /dev/null, its output read through pipes. The output
 * is a secret: it is never logged, and every copy is wiped when freed. */

/* The first line of the command's output, trimmed (owned; free with
 * xfree_secret), or NULL with *err naming the command (where: "config.ini:7")
 * and saying why (not found, exit status and what it wrote on standard
 * error, no output, or no answer within timeout_ms) and what to do. */
char *token_command_run(const char *command, const char *where, long timeout_ms, char **err);

#endif
