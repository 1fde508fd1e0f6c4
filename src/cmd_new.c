#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "furikaeri/cli.h"
#include "furikaeri/config.h"
#include "furikaeri/importer.h"
#include "furikaeri/paths.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/store.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/store_outbox.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/tracker.h"
#include "furikaeri/xalloc.h"

/* `furikaeri new`: a postmortem from the team's template, with its id,
 * date, time zone and author filled in, opened in the user's editor and
 * imported once it was changed. */

struct fill {
	const char *id;
	const char *title;	/* NULL: keep the template's */
	const char *severity;	/* NULL: keep the template's */
	const char *author;	/* NULL: keep the template's */
	char date[11];
	char time[6];
	char tz[16];
};

/* A YAML double-quoted scalar. */
static void
add_quoted(struct strbuf *sb, const char *s)
{
	strbuf_addc(sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addc(sb, '\\');
		strbuf_addc(sb, *s);
	}
	strbuf_addc(sb, '"');
}

static bool
is_key(const char *line, size_t n, const char *key)
{
	size_t k = strlen(key);

	return n > k && strncmp(line, key, k) == 0 && line[k] == ':';
}

/* The value of "key: value" in the template's front matter (owned), or NULL. */
static char *
template_value(const char *tmpl, const char *key)
{
	const char *p = tmpl;
	int fences = 0;

	while (*p != '\0' && fences < 2) {
		size_t n = strcspn(p, "\n");
		if (n == 3 && strncmp(p, "---", 3) == 0)
			fences++;
		else if (fences == 1 && is_key(p, n, key)) {
			char *v = xstrndup(p + strlen(key) + 1, n - strlen(key) - 1);
			char *t = text_trim(v);
			free(v);
			size_t len = strlen(t);
			if (len >= 2 && (t[0] == '"' || t[0] == '\'') && t[len - 1] == t[0]) {
				memmove(t, t + 1, len - 2);
				t[len - 2] = '\0';
			}
			return t;
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	return NULL;
}

/* The template with the fields filled in (owned). */
static char *
fill_template(const char *tmpl, const struct fill *f)
{
	struct strbuf sb = STRBUF_INIT;
	char *old_title = template_value(tmpl, "title");
	const char *p = tmpl;
	int fences = 0;
	bool title_done = false;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		bool replaced = true;

		if (n == 3 && strncmp(p, "---", 3) == 0) {
			fences++;
			replaced = false;
		} else if (fences == 1 && p[0] == '#' && memmem(p, n, "YYYY-MM-DD", 10) != NULL) {
			/* "Copy this file, name it YYYY-MM-DD-...": done already */
			p += n;
			if (*p == '\n')
				p++;
			continue;
		} else if (fences == 1 && is_key(p, n, "id")) {
			strbuf_addf(&sb, "id: %s", f->id);
		} else if (fences == 1 && is_key(p, n, "title") && f->title != NULL) {
			strbuf_adds(&sb, "title: ");
			add_quoted(&sb, f->title);
		} else if (fences == 1 && is_key(p, n, "date")) {
			strbuf_addf(&sb, "date: %s", f->date);
		} else if (fences == 1 && is_key(p, n, "time")) {
			strbuf_addf(&sb, "time: \"%s\"", f->time);
		} else if (fences == 1 && is_key(p, n, "tz") && f->tz[0] != '\0') {
			strbuf_addf(&sb, "tz: %s", f->tz);
		} else if (fences == 1 && is_key(p, n, "severity") && f->severity != NULL) {
			strbuf_addf(&sb, "severity: %s", f->severity);
		} else if (fences == 1 && is_key(p, n, "authors") && f->author != NULL) {
			strbuf_adds(&sb, "authors: [");
			add_quoted(&sb, f->author);
			strbuf_addc(&sb, ']');
		} else if (fences >= 2 && !title_done && n > 2 && strncmp(p, "# ", 2) == 0) {
			/* the body's first heading repeats the title */
			title_done = true;
			if (f->title != NULL && old_title != NULL &&
			    (size_t)n - 2 == strlen(old_title) && strncmp(p + 2, old_title, n - 2) == 0)
				strbuf_addf(&sb, "# %s", f->title);
			else
				replaced = false;
		} else {
			replaced = false;
		}
		if (!replaced)
			strbuf_add(&sb, p, n);
		p += n;
		if (*p == '\n') {
			strbuf_addc(&sb, '\n');
			p++;
		}
	}
	free(old_title);
	return strbuf_detach(&sb);
}

/* The number in id when it has the pattern's prefix and suffix, else 0. */
static long
id_number(const char *id, const char *prefix, const char *suffix)
{
	size_t plen = strlen(prefix), slen = strlen(suffix), len = strlen(id);

	if (len <= plen + slen || strncasecmp(id, prefix, plen) != 0 ||
	    strcasecmp(id + len - slen, suffix) != 0)
		return 0;
	if (strspn(id + plen, "0123456789") != len - plen - slen)
		return 0;
	return strtol(id + plen, NULL, 10);
}

/* The highest number among the ids in the front matter of dir's .md files:
 * files written by new and not imported yet still take their id. */
static long
highest_in_dir(const char *dir, const char *prefix, const char *suffix)
{
	size_t n = 0;
	char **files = paths_list(dir, ".md", &n);
	long best = 0;

	for (size_t i = 0; i < n; i++) {
		char *buf = NULL;
		size_t len;
		if (paths_read_file(files[i], &buf, &len, NULL) == 0) {
			char *tmpl = xstrndup(buf, len < 8192 ? len : 8192);
			char *id = template_value(tmpl, "id");
			if (id != NULL && id_number(id, prefix, suffix) > best)
				best = id_number(id, prefix, suffix);
			free(id);
			free(tmpl);
		}
		free(buf);
		free(files[i]);
	}
	free(files);
	return best;
}

/* The next free id of the template's pattern: YYYY is the year, two or more
 * N the number, one more than the highest of that year in the store or in
 * the folder the file goes to. */
static char *
next_id(struct store *st, const char *pattern, const char *year, const char *dir, char **err)
{
	struct store_rows rows = { 0 };
	struct strbuf prefix = STRBUF_INIT;
	const char *n_run = strstr(pattern, "NN"), *suffix;
	size_t width = 0;
	long best = 0;

	for (const char *p = pattern; *p != '\0' && p != n_run; p++) {
		if (strncmp(p, "YYYY", 4) == 0) {
			strbuf_adds(&prefix, year);
			p += 3;
		} else {
			strbuf_addc(&prefix, *p);
		}
	}
	if (n_run == NULL)
		return strbuf_detach(&prefix);
	width = strspn(n_run, "N");
	suffix = n_run + width;
	if (store_postmortem_list(st, NULL, &rows, err) < 0) {
		strbuf_release(&prefix);
		return NULL;
	}
	for (size_t i = 0; i < rows.n; i++) {
		long v = id_number(rows.rows[i].id, strbuf_str(&prefix), suffix);
		if (v > best)
			best = v;
	}
	store_rows_free(&rows);
	{
		/* ids given to postmortems filed as issues (new --tracker) */
		struct store_outbox_items items = { 0 };

		if (store_outbox_list(st, true, &items, NULL) == 0) {
			for (size_t i = 0; i < items.n; i++) {
				const struct store_outbox_item *it = &items.items[i];
				long v;

				if (it->kind == NULL || strcmp(it->kind, "postmortem") != 0 ||
				    it->pm_id == NULL)
					continue;
				v = id_number(it->pm_id, strbuf_str(&prefix), suffix);
				if (v > best)
					best = v;
			}
		}
		store_outbox_items_free(&items);
	}
	long in_dir = highest_in_dir(dir, strbuf_str(&prefix), suffix);
	if (in_dir > best)
		best = in_dir;
	char *id = xasprintf("%s%0*ld%s", strbuf_str(&prefix), (int)width, best + 1, suffix);
	strbuf_release(&prefix);
	return id;
}

/* git config user.name, else the roster's person named like $USER. Owned or NULL. */
static char *
find_author(struct store *st)
{
	FILE *p = popen("git config user.name 2>/dev/null", "r");
	char buf[256];
	char *name = NULL;
	const char *user = getenv("USER");

	if (p != NULL) {
		if (fgets(buf, sizeof(buf), p) != NULL) {
			buf[strcspn(buf, "\r\n")] = '\0';
			if (buf[0] != '\0')
				name = xstrdup(buf);
		}
		pclose(p);
	}
	if (name == NULL && user != NULL && user[0] != '\0') {
		struct store_people people = { 0 };
		if (store_people_list(st, &people, NULL) == 0) {
			for (size_t i = 0; i < people.n && name == NULL; i++)
				if (text_casecmp(people.people[i].name, user) == 0)
					name = xstrdup(people.people[i].name);
			store_people_free(&people);
		}
	}
	return name;
}

/* "Payment API timeouts" -> "payment-api-timeouts"; "" for a title of no ASCII. */
static char *
slug(const char *title)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = title; *p != '\0' && sb.len < 48; p++) {
		unsigned char c = (unsigned char)*p;
		if (isalnum(c) && c < 0x80)
			strbuf_addc(&sb, (char)tolower(c));
		else if (sb.len > 0 && sb.buf[sb.len - 1] != '-')
			strbuf_addc(&sb, '-');
	}
	while (sb.len > 0 && sb.buf[sb.len - 1] == '-')
		sb.buf[--sb.len] = '\0';
	return strbuf_detach(&sb);
}

static int
write_new(const char *path, const char *text, char **err)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	size_t len = strlen(text), off = 0;

	if (fd < 0) {
		if (errno == EEXIST)
			return -2;
		*err = xasprintf("%s: cannot create the file: %s", path, strerror(errno));
		return -1;
	}
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			*err = xasprintf("%s: cannot write: %s", path, strerror(errno));
			close(fd);
			unlink(path);
			return -1;
		}
		off += (size_t)n;
	}
	if (close(fd) < 0) {
		*err = xasprintf("%s: cannot write: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

/* Runs the editor on path as git does ($VISUAL, $EDITOR, vi; through sh
 * so "code --wait" works). Returns its exit status, or -1. */
static int
run_editor(const char *path)
{
	const char *editor = getenv("VISUAL");
	struct sigaction ign = { .sa_handler = SIG_IGN }, old_int, old_quit;
	int status = -1;
	pid_t pid;

	if (editor == NULL || editor[0] == '\0')
		editor = getenv("EDITOR");
	if (editor == NULL || editor[0] == '\0')
		editor = "vi";
	char *cmd = xasprintf("%s \"$@\"", editor);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid = fork();
	if (pid == 0) {
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGQUIT, &old_quit, NULL);
		execl("/bin/sh", "sh", "-c", cmd, editor, path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0) {
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	free(cmd);
	return status;
}

static void
print_import_error(const char *message, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "furikaeri new: %s\n", message);
}

static char *
load_template(const struct config *cfg, const char *lang, char **err)
{
	char *path, *buf = NULL;
	size_t len;

	if (cfg->template_path != NULL) {
		path = xstrdup(cfg->template_path);
	} else {
		char *data = paths_data_dir();
		path = xasprintf("%s/templates/%s", data,
				 strcmp(lang, "ja") == 0 ? "postmortem.ja.md" : "postmortem.md");
		free(data);
	}
	if (paths_read_file(path, &buf, &len, err) < 0) {
		free(path);
		return NULL;
	}
	free(path);
	return buf;
}

/* `new --tracker`: the filled template is edited in a scratch file and
 * queued in the outbox as an issue (title: the postmortem's, body: the
 * text), then sent when a tracker is configured. Nothing is written to
 * the postmortems' folder: the issue is the postmortem. */
static int
file_as_issue(struct store *st, const struct config *cfg, const char *tracker, const char *id,
	      const char *title, const char *severity, const char *text, bool edit)
{
	const char *tmp = getenv("TMPDIR");
	char *path = xasprintf("%s/furikaeri-new-XXXXXX.md",
			       tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	char *body = NULL, *err = NULL, *t = NULL, *sev = NULL;
	struct tracker_options opts = { 0 };
	struct tracker_outcome oc = { 0 };
	long long row = 0;
	size_t len;
	int fd, status = EXIT_OK;

	fd = mkstemps(path, 3);
	if (fd < 0) {
		cli_error("new", "cannot create a scratch file in %s: %s; set TMPDIR to a "
			  "writable folder", tmp != NULL ? tmp : "/tmp", strerror(errno));
		free(path);
		return EXIT_FAILED;
	}
	close(fd);
	unlink(path);
	if (write_new(path, text, &err) < 0) {
		cli_error("new", "%s", err);
		status = EXIT_FAILED;
		goto done;
	}
	if (edit) {
		int rc = run_editor(path);

		if (rc != 0) {
			cli_error("new", "the editor exited with status %d; nothing is filed (the "
				  "text is kept in %s)", rc, path);
			free(path);
			return EXIT_FAILED;
		}
	}
	if (paths_read_file(path, &body, &len, &err) < 0) {
		cli_error("new", "%s", err);
		status = EXIT_FAILED;
		goto done;
	}
	t = template_value(body, "title");
	if (t == NULL || t[0] == '\0') {
		free(t);
		t = xstrdup(title != NULL ? title : id);
	}
	sev = template_value(body, "severity");
	if (sev == NULL || sev[0] == '\0') {
		free(sev);
		sev = severity != NULL ? xstrdup(severity) : NULL;
	}
	if (tracker_file_postmortem(st, cfg, &opts, id, t, sev, body, tracker, &row, &oc,
				    &err) < 0) {
		cli_error("new", "%s; nothing is filed (the text is kept in %s)", err, path);
		free(path);
		path = NULL;
		status = EXIT_STORE;
		goto done;
	}
	unlink(path);	/* the outbox holds the text now */
	if (oc.result == TRACKER_OK) {
		printf("%s: filed as %s%s%s\n", id, oc.key ? oc.key : "?", oc.url ? " " : "",
		       oc.url ? oc.url : "");
	} else {
		printf("%s: not filed yet: %s\n", id, oc.message ? oc.message : "queued");
		fprintf(stderr, "furikaeri new: the issue waits in the outbox (furikaeri tickets "
			"list); furikaeri tickets push sends it, exactly once\n");
		if (oc.result == TRACKER_REFUSED || oc.result == TRACKER_LATER ||
		    oc.result == TRACKER_UNKNOWN)
			status = EXIT_TRACKER;
	}
done:
	free(oc.key);
	free(oc.url);
	free(oc.message);
	free(t);
	free(sev);
	free(body);
	free(err);
	free(path);
	return status;
}

static const char *
default_lang(void)
{
	const char *vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };

	for (size_t i = 0; i < 3; i++) {
		const char *v = getenv(vars[i]);
		if (v != NULL && v[0] != '\0')
			return strncmp(v, "ja", 2) == 0 ? "ja" : "en";
	}
	return "en";
}

int
cmd_new(struct cli *cli, int argc, char **argv)
{
	static const struct option options[] = {
		{ .name = "title", .has_arg = required_argument, .val = 't' },
		{ .name = "severity", .has_arg = required_argument, .val = 's' },
		{ .name = "lang", .has_arg = required_argument, .val = 'l' },
		{ .name = "output", .has_arg = required_argument, .val = 'o' },
		{ .name = "no-edit", .has_arg = no_argument, .val = 'n' },
		{ .name = "tracker", .has_arg = required_argument, .val = 'T' },
		{ .name = "help", .has_arg = no_argument, .val = 'h' },
		{ 0 },
	};
	const struct cli_command *cmd = cli_find("new");
	const char *title = NULL, *severity_arg = NULL, *lang = default_lang(), *dir = ".";
	const char *tracker = NULL;
	enum tracker_kind kind;
	char *severity = NULL, *err = NULL, *tmpl = NULL, *pattern = NULL, *id = NULL;
	char *author = NULL, *text = NULL, *name = NULL, *path = NULL, *after = NULL;
	bool edit = true;
	struct config *cfg = NULL;
	struct headings *h = NULL;
	struct store *st = NULL;
	struct fill f = { 0 };
	int c, status = EXIT_OK;
	size_t len;

	while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
		switch (c) {
		case 't':
			title = optarg;
			break;
		case 's':
			severity_arg = optarg;
			break;
		case 'l':
			lang = optarg;
			if (strcmp(lang, "en") != 0 && strcmp(lang, "ja") != 0) {
				cli_error("new", "--lang %s: expected en or ja", lang);
				return EXIT_USAGE;
			}
			break;
		case 'o':
			dir = optarg;
			break;
		case 'n':
			edit = false;
			break;
		case 'T':
			tracker = optarg;
			if (!tracker_kind_parse(tracker, &kind)) {
				cli_error("new", "--tracker %s: expected %s", tracker,
					  tracker_kind_list());
				free(severity);
				return EXIT_USAGE;
			}
			break;
		default:
			return cli_option_end(cmd, c);
		}
	}
	if (!cli_no_operands("new", argc, argv, optind))
		return EXIT_USAGE;
	if (severity_arg != NULL && (severity = postmortem_severity_normalise(severity_arg)) == NULL) {
		cli_error("new", "--severity %s: expected SEV1 to SEV5", severity_arg);
		return EXIT_USAGE;
	}
	if ((cfg = cli_load_config(cli)) == NULL) {
		free(severity);
		return EXIT_CONFIG;
	}
	if ((tmpl = load_template(cfg, lang, &err)) == NULL) {
		cli_error("new", "%s; set [postmortems] template in the config to a file that "
			  "exists", err);
		status = EXIT_CONFIG;
		goto done;
	}
	if ((st = cli_open_store(cli)) == NULL) {
		status = EXIT_STORE;
		goto done;
	}
	cli_today(f.date);
	pattern = template_value(tmpl, "id");
	if (pattern == NULL || pattern[0] == '\0') {
		free(pattern);
		pattern = xstrdup("pm-YYYY-NNN");
	}
	char year[5];
	memcpy(year, f.date, 4);
	year[4] = '\0';
	if ((id = next_id(st, pattern, year, dir, &err)) == NULL) {
		cli_error("new", "%s", err);
		status = EXIT_STORE;
		goto done;
	}
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(f.time, sizeof(f.time), "%H:%M", &tm);
	strftime(f.tz, sizeof(f.tz), "%Z", &tm);
	author = find_author(st);
	f.id = id;
	f.title = title;
	f.severity = severity;
	f.author = author;
	text = fill_template(tmpl, &f);

	if (tracker != NULL) {
		status = file_as_issue(st, cfg, tracker, id, title, severity, text, edit);
		goto done;
	}
	char *s = title != NULL ? slug(title) : xstrdup("");
	name = xasprintf("%s-%s.md", f.date, s[0] != '\0' ? s : id);
	free(s);
	path = paths_join(dir, name);
	int w = write_new(path, text, &err);
	if (w == -2) {
		cli_error("new", "%s already exists and is not overwritten; give another --title "
			  "or -o DIR", path);
		status = EXIT_FAILED;
		goto done;
	}
	if (w < 0) {
		cli_error("new", "%s", err);
		status = EXIT_FAILED;
		goto done;
	}
	printf("%s: %s\n", id, path);
	fflush(stdout);
	if (!edit)
		goto done;
	int rc = run_editor(path);
	if (rc != 0) {
		cli_error("new", "the editor exited with status %d; %s is kept but not imported "
			  "(furikaeri import %s once it is written)", rc, path, path);
		status = EXIT_FAILED;
		goto done;
	}
	if (paths_read_file(path, &after, &len, &err) < 0) {
		cli_error("new", "%s", err);
		status = EXIT_FAILED;
		goto done;
	}
	if (strcmp(after, text) == 0) {
		fprintf(stderr, "furikaeri new: %s was not changed, so it is not imported; "
			"furikaeri import %s once it is written\n", path, path);
		goto done;
	}
	if ((h = cli_load_headings(cfg)) == NULL) {
		status = EXIT_CONFIG;
		goto done;
	}
	char *root = cfg->postmortems_root != NULL ? realpath(cfg->postmortems_root, NULL) : NULL;
	struct importer_options opt = {
		.on_error = print_import_error,
		.archive_root = root,
		.parse = {
			.date_order = (enum date_order)cfg->date_order,
			.jira_projects = cfg->jira_projects.items,
			.n_jira_projects = cfg->jira_projects.n,
		},
	};
	struct importer_counts counts;
	char *paths[] = { path };
	importer_run(st, h, paths, 1, &opt, &counts);
	free(root);
	if (counts.failed > 0) {
		fprintf(stderr, "furikaeri new: %s is kept; fix it and run furikaeri import %s\n",
			path, path);
		status = EXIT_FAILED;
	} else {
		printf("imported %s (%s)\n", id, counts.added > 0 ? "added" : "updated");
	}
done:
	free(after);
	free(path);
	free(name);
	free(text);
	free(author);
	free(id);
	free(pattern);
	free(tmpl);
	free(severity);
	free(err);
	headings_free(h);
	store_free(st);
	config_free(cfg);
	return status;
}
