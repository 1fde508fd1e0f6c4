#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/cli.h"
#include "furikaeri/completion.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

#define COMPLETION_MAX_OPTS 48
#define COMPLETION_MAX_OPERANDS 16
#define COMPLETION_WORD 64

/* One option: its value's kind is NULL for a flag, "" for a value with
 * nothing to complete, else a kind of the script ("weeks", "words a b"). */
struct completion_opt {
	char name[COMPLETION_WORD];
	char *value;
};

/* What completes after a subcommand ("" for the command itself). */
struct completion_operand {
	char sub[COMPLETION_WORD];
	const char *kind;
};

struct completion_cmd {
	struct completion_opt opts[COMPLETION_MAX_OPTS];
	size_t n_opts;
	struct strbuf subs;	/* space-separated */
	struct completion_operand operands[COMPLETION_MAX_OPERANDS];
	size_t n_operands;
};

/* `furikaeri help COMMAND` is main's, not a command of the table. */
#define COMPLETION_HELP "help"

static bool
is_word(const char *s, size_t n)
{
	if (n == 0 || n >= COMPLETION_WORD || s[0] < 'a' || s[0] > 'z')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static bool
is_option(const char *s)
{
	size_t n = strlen(s);

	if (n == 2 && s[0] == '-' && ((s[1] >= 'a' && s[1] <= 'z') || (s[1] >= 'A' && s[1] <= 'Z')))
		return true;
	return n > 2 && n < COMPLETION_WORD && s[0] == '-' && s[1] == '-' && is_word(s + 2, n - 2);
}

/* The kind a value or operand placeholder completes: the lowercase
 * alternatives of a|b|PLACEHOLDER, else what the placeholder names (ID is
 * a postmortem's as an operand only: --chat ID is a chat user's). */
static char *
placeholder_kind(const char *spec, bool operand)
{
	struct strbuf words = STRBUF_INIT;
	const char *p = spec;

	while (*p != '\0') {
		size_t n = strcspn(p, "|");
		if (is_word(p, n)) {
			strbuf_adds(&words, words.len == 0 ? "words " : " ");
			strbuf_add(&words, p, n);
		}
		p += n;
		if (*p == '|')
			p++;
	}
	if (words.len > 0)
		return strbuf_detach(&words);
	strbuf_release(&words);
	size_t n = strcspn(spec, ".");	/* PATH... */
	static const struct {
		const char *placeholder, *kind;
	} kinds[] = {
		{ "YYYY-Www", "weeks" }, { "W", "weeks" }, { "ID", "postmortems" },
		{ "NAME", "people" }, { "PATH", "files" }, { "FILE", "files" }, { "DIR", "dirs" },
		{ "COMMAND", "commands" },
	};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strlen(kinds[i].placeholder) == n && strncmp(spec, kinds[i].placeholder, n) == 0 &&
		    (operand || strcmp(kinds[i].placeholder, "ID") != 0))
			return xstrdup(kinds[i].kind);
	return xstrdup("");
}

static struct completion_opt *
opt_find(struct completion_cmd *c, const char *name)
{
	for (size_t i = 0; i < c->n_opts; i++)
		if (strcmp(c->opts[i].name, name) == 0)
			return &c->opts[i];
	return NULL;
}

/* Adds an option (once); value, when not NULL, is its placeholder, and the
 * first one seen wins (the synopsis is read before the help). */
static void
opt_add(struct completion_cmd *c, const char *name, const char *value)
{
	struct completion_opt *o = opt_find(c, name);

	if (o == NULL) {
		if (c->n_opts == COMPLETION_MAX_OPTS)
			return;
		o = &c->opts[c->n_opts++];
		strcpy(o->name, name);
	}
	if (o->value == NULL && value != NULL)
		o->value = placeholder_kind(value, false);
}

static void
sub_add(struct completion_cmd *c, const char *word, size_t n)
{
	strbuf_adds(&c->subs, c->subs.len ? " " : "");
	strbuf_add(&c->subs, word, n);
}

static void
operand_add(struct completion_cmd *c, const char *sub, const char *kind)
{
	for (size_t i = 0; i < c->n_operands; i++)
		if (strcmp(c->operands[i].sub, sub) == 0)
			return;
	if (c->n_operands == COMPLETION_MAX_OPERANDS || kind[0] == '\0')
		return;
	snprintf(c->operands[c->n_operands].sub, COMPLETION_WORD, "%s", sub);
	c->operands[c->n_operands++].kind = kind;
}

/* A synopsis: "[--week YYYY-Www] | add NAME [--role ROLE] | push". */
static void
read_synopsis(struct completion_cmd *c, const char *args)
{
	char *copy = xstrdup(args), *save = NULL, *raw;
	char pending[COMPLETION_WORD] = "", sub[COMPLETION_WORD] = "";
	bool alternative = true;	/* at the start of an alternative */

	for (raw = strtok_r(copy, " \n\t", &save); raw != NULL; raw = strtok_r(NULL, " \n\t", &save)) {
		bool opens = raw[0] == '[';
		char *tok = raw + strspn(raw, "[");
		size_t n = strlen(tok);
		bool closes = n > 0 && tok[n - 1] == ']';
		while (n > 0 && tok[n - 1] == ']')
			tok[--n] = '\0';
		if (n == 0)
			continue;
		if (strcmp(tok, "|") == 0) {
			pending[0] = '\0';
			alternative = true;
			continue;
		}
		if (is_option(tok)) {
			opt_add(c, tok, NULL);
			snprintf(pending, sizeof(pending), "%s", closes ? "" : tok);
		} else if (pending[0] != '\0' && !opens) {
			struct completion_opt *o = opt_find(c, pending);
			if (o != NULL && o->value == NULL)
				o->value = placeholder_kind(tok, false);
			pending[0] = '\0';
		} else if ((alternative || opens) && tok[0] >= 'a' && tok[0] <= 'z') {
			/* "list", or "bash|zsh": subcommands */
			const char *p = tok;
			while (*p != '\0') {
				size_t m = strcspn(p, "|");
				if (is_word(p, m)) {
					sub_add(c, p, m);
					snprintf(sub, sizeof(sub), "%.*s", (int)m, p);
				}
				p += m + (p[m] == '|');
			}
			pending[0] = '\0';
		} else {
			char *kind = placeholder_kind(tok, true);
			/* the kinds are static strings of the script */
			static const char *const known[] = { "weeks", "postmortems", "people", "files",
							     "dirs", "commands" };
			for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
				if (strcmp(kind, known[i]) == 0)
					operand_add(c, sub, known[i]);
			free(kind);
			pending[0] = '\0';
		}
		alternative = false;
	}
	free(copy);
}

/* A help text's option lines: "  -o, --output FILE  what it does". */
static void
read_help(struct completion_cmd *c, const char *help)
{
	const char *line = help;

	while (*line != '\0') {
		size_t len = strcspn(line, "\n");
		char *copy = xstrndup(line, len), *save = NULL, *tok;
		char *names[4];
		size_t n = 0;
		const char *value = NULL;

		line += len + (line[len] == '\n');
		if (copy[strspn(copy, " ")] != '-') {
			free(copy);
			continue;
		}
		for (tok = strtok_r(copy, " ,", &save); tok != NULL; tok = strtok_r(NULL, " ,", &save)) {
			if (is_option(tok) && n < 4) {
				names[n++] = tok;
				continue;
			}
			if (tok[0] >= 'A' && tok[0] <= 'Z')
				value = tok;
			break;
		}
		for (size_t i = 0; i < n; i++)
			opt_add(c, names[i], value);
		free(copy);
	}
}

static void
cmd_release(struct completion_cmd *c)
{
	for (size_t i = 0; i < c->n_opts; i++)
		free(c->opts[i].value);
	strbuf_release(&c->subs);
}

/* The script's tables, in sh that bash and zsh both read: the program's
 * options are under the command name ''. */
static void
write_tables(struct strbuf *out)
{
	struct completion_cmd *cmds = xcalloc(cli_n_commands + 1, sizeof(*cmds));
	struct completion_cmd *global = &cmds[cli_n_commands];

	read_synopsis(global, cli_synopsis);
	read_help(global, cli_global_options);
	for (size_t i = 0; i < cli_n_commands; i++) {
		read_synopsis(&cmds[i], cli_commands[i].args);
		read_help(&cmds[i], cli_commands[i].help);
		opt_add(&cmds[i], "--help", NULL);
	}

	strbuf_adds(out, "_furikaeri_commands='");
	for (size_t i = 0; i < cli_n_commands; i++)
		strbuf_addf(out, "%s ", cli_commands[i].name);
	strbuf_adds(out, COMPLETION_HELP "'\n\n");

	strbuf_adds(out, "# _furikaeri_options CMD: CMD's options ('': the program's own)\n"
		    "_furikaeri_options() {\n\tcase $1 in\n");
	for (size_t i = 0; i <= cli_n_commands; i++) {
		strbuf_addf(out, "\t'%s') echo '", i < cli_n_commands ? cli_commands[i].name : "");
		for (size_t j = 0; j < cmds[i].n_opts; j++)
			strbuf_addf(out, "%s%s", j ? " " : "", cmds[i].opts[j].name);
		strbuf_adds(out, "' ;;\n");
	}
	strbuf_adds(out, "\tesac\n}\n\n");

	strbuf_adds(out, "# _furikaeri_value CMD OPTION: what OPTION's value completes; status 1\n"
		    "# when OPTION takes no value\n"
		    "_furikaeri_value() {\n\tcase \"$1 $2\" in\n");
	for (size_t i = 0; i <= cli_n_commands; i++)
		for (size_t j = 0; j < cmds[i].n_opts; j++)
			if (cmds[i].opts[j].value != NULL)
				strbuf_addf(out, "\t'%s %s') echo '%s' ;;\n",
					    i < cli_n_commands ? cli_commands[i].name : "",
					    cmds[i].opts[j].name, cmds[i].opts[j].value);
	strbuf_adds(out, "\t*) return 1 ;;\n\tesac\n}\n\n");

	strbuf_adds(out, "# _furikaeri_subcommands CMD\n_furikaeri_subcommands() {\n\tcase $1 in\n");
	for (size_t i = 0; i < cli_n_commands; i++)
		if (cmds[i].subs.len > 0)
			strbuf_addf(out, "\t%s) echo '%s' ;;\n", cli_commands[i].name,
				    strbuf_str(&cmds[i].subs));
	strbuf_adds(out, "\tesac\n}\n\n");

	strbuf_adds(out, "# _furikaeri_operand CMD SUBCOMMAND: what an operand completes\n"
		    "_furikaeri_operand() {\n\tcase \"$1 $2\" in\n"
		    "\t'" COMPLETION_HELP " ') echo commands ;;\n");
	for (size_t i = 0; i < cli_n_commands; i++)
		for (size_t j = 0; j < cmds[i].n_operands; j++)
			strbuf_addf(out, "\t'%s %s') echo %s ;;\n", cli_commands[i].name,
				    cmds[i].operands[j].sub, cmds[i].operands[j].kind);
	strbuf_adds(out, "\tesac\n}\n\n");

	for (size_t i = 0; i <= cli_n_commands; i++)
		cmd_release(&cmds[i]);
	free(cmds);
}

/* The scan of the words before the one completed, and the choice of what
 * to complete: the same sh in both shells. */
static const char completion_common[] =
	"# _furikaeri_scan WORD...: the words before the one completed; sets the\n"
	"# command, its subcommand, --db's value and the option awaiting a value\n"
	"_furikaeri_scan() {\n"
	"\t_fk_cmd= _fk_sub= _fk_db= _fk_want=\n"
	"\tfor _fk_w in \"$@\"; do\n"
	"\t\tif [ -n \"$_fk_want\" ]; then\n"
	"\t\t\t[ \"$_fk_cmd$_fk_want\" = --db ] && _fk_db=$_fk_w\n"
	"\t\t\t_fk_want=\n"
	"\t\t\tcontinue\n"
	"\t\tfi\n"
	"\t\tcase $_fk_w in\n"
	"\t\t-*) if _furikaeri_value \"$_fk_cmd\" \"$_fk_w\" >/dev/null; then _fk_want=$_fk_w; fi ;;\n"
	"\t\t*) if [ -z \"$_fk_cmd\" ]; then\n"
	"\t\t\t_fk_cmd=$_fk_w\n"
	"\t\t   elif [ -z \"$_fk_sub\" ]; then\n"
	"\t\t\tcase \" $(_furikaeri_subcommands \"$_fk_cmd\") \" in\n"
	"\t\t\t*\" $_fk_w \"*) _fk_sub=$_fk_w ;;\n"
	"\t\t\tesac\n"
	"\t\t   fi ;;\n"
	"\t\tesac\n"
	"\tdone\n"
	"}\n\n"
	"# _furikaeri_kind WORD: what the word being completed is, after a scan\n"
	"_furikaeri_kind() {\n"
	"\tif [ -n \"$_fk_want\" ]; then\n"
	"\t\t_furikaeri_value \"$_fk_cmd\" \"$_fk_want\"\n"
	"\telif [ \"${1#-}\" != \"$1\" ]; then\n"
	"\t\techo options\n"
	"\telif [ -z \"$_fk_cmd\" ]; then\n"
	"\t\techo commands\n"
	"\telif [ -z \"$_fk_sub\" ] && [ -n \"$(_furikaeri_subcommands \"$_fk_cmd\")\" ]; then\n"
	"\t\techo subcommands\n"
	"\telse\n"
	"\t\t_furikaeri_operand \"$_fk_cmd\" \"$_fk_sub\"\n"
	"\tfi\n"
	"}\n\n"
	"# _furikaeri_list KIND: weeks, postmortems or people, from the store\n"
	"# (--db's when the line gives one), one a line; nothing on errors\n"
	"_furikaeri_list() {\n"
	"\tif [ -n \"$_fk_db\" ]; then\n"
	"\t\t\"$_fk_prog\" --db \"$_fk_db\" completion --list \"$1\"\n"
	"\telse\n"
	"\t\t\"$_fk_prog\" completion --list \"$1\"\n"
	"\tfi 2>/dev/null </dev/null\n"
	"}\n\n";

static const char completion_bash[] =
	"_furikaeri() {\n"
	"\tlocal _fk_cmd _fk_sub _fk_db _fk_want _fk_w _fk_kind _fk_line\n"
	"\tlocal _fk_prog=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}\n"
	"\t_furikaeri_scan \"${COMP_WORDS[@]:1:COMP_CWORD-1}\"\n"
	"\t_fk_kind=$(_furikaeri_kind \"$cur\")\n"
	"\tCOMPREPLY=()\n"
	"\tcase $_fk_kind in\n"
	"\tcommands) COMPREPLY=($(compgen -W \"$_furikaeri_commands\" -- \"$cur\")) ;;\n"
	"\tsubcommands) COMPREPLY=($(compgen -W \"$(_furikaeri_subcommands \"$_fk_cmd\")\" -- \"$cur\")) ;;\n"
	"\toptions) COMPREPLY=($(compgen -W \"$(_furikaeri_options \"$_fk_cmd\")\" -- \"$cur\")) ;;\n"
	"\t\"words \"*) COMPREPLY=($(compgen -W \"${_fk_kind#words }\" -- \"$cur\")) ;;\n"
	"\tweeks | postmortems | people)\n"
	"\t\twhile IFS= read -r _fk_line; do\n"
	"\t\t\t[[ $_fk_line == \"$cur\"* ]] && COMPREPLY+=(\"$(printf '%q' \"$_fk_line\")\")\n"
	"\t\tdone < <(_furikaeri_list \"$_fk_kind\") ;;\n"
	"\tfiles) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
	"\tdirs) compopt -o filenames 2>/dev/null; COMPREPLY=($(compgen -d -- \"$cur\")) ;;\n"
	"\tesac\n"
	"\treturn 0\n"
	"}\n"
	"complete -F _furikaeri furikaeri\n";

static const char completion_zsh[] =
	"_furikaeri() {\n"
	"\tlocal _fk_cmd _fk_sub _fk_db _fk_want _fk_w _fk_kind _fk_prog=${words[1]}\n"
	"\tlocal -a _fk_words\n"
	"\t_furikaeri_scan \"${(@)words[2,CURRENT-1]}\"\n"
	"\t_fk_kind=$(_furikaeri_kind \"${words[CURRENT]}\")\n"
	"\tcase $_fk_kind in\n"
	"\tcommands) _fk_words=(${=_furikaeri_commands}) ;;\n"
	"\tsubcommands) _fk_words=(${=\"$(_furikaeri_subcommands \"$_fk_cmd\")\"}) ;;\n"
	"\toptions) _fk_words=(${=\"$(_furikaeri_options \"$_fk_cmd\")\"}) ;;\n"
	"\t\"words \"*) _fk_words=(${=_fk_kind#words }) ;;\n"
	"\tweeks | postmortems | people) _fk_words=(${(f)\"$(_furikaeri_list \"$_fk_kind\")\"}) ;;\n"
	"\tfiles) _files; return ;;\n"
	"\tdirs) _files -/; return ;;\n"
	"\t*) return 1 ;;\n"
	"\tesac\n"
	"\tcompadd -a _fk_words\n"
	"}\n\n"
	"_furikaeri \"$@\"\n";

char *
completion_script(const char *shell)
{
	struct strbuf out = STRBUF_INIT;
	bool bash = strcmp(shell, "bash") == 0;

	if (!bash && strcmp(shell, "zsh") != 0)
		return NULL;
	if (!bash)
		strbuf_adds(&out, "#compdef furikaeri\n");
	strbuf_addf(&out, "# %s completion for furikaeri %s, made by `furikaeri completion %s`\n"
		    "# from its command table: regenerate it, do not edit it.\n\n",
		    shell, PACKAGE_VERSION, shell);
	write_tables(&out);
	strbuf_adds(&out, completion_common);
	strbuf_adds(&out, bash ? completion_bash : completion_zsh);
	return strbuf_detach(&out);
}
