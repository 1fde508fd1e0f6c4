#ifndef FURIKAERI_COMPLETION_H
#define FURIKAERI_COMPLETION_H

/* Shell completion, read from the command table (cli_commands) and the
 * program's own synopsis and options (cli_synopsis, cli_global_options):
 * each command's options are the ones its synopsis and its help's option
 * lines name, its subcommands the lowercase words that open an
 * alternative of its synopsis, and what an option's value or an operand
 * completes follows from its placeholder (YYYY-Www or W: a week; ID: a
 * postmortem; NAME: a person; PATH or FILE: a file; DIR: a folder; a|b: the
 * words a and b). Weeks, postmortems and people are asked of
 * `furikaeri completion --list KIND` when the shell completes. */

/* The completion script for shell ("bash" or "zsh"), owned by the caller;
 * NULL when the shell is neither. */
char *completion_script(const char *shell);

#endif
