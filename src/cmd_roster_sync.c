#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/chat.h"
#include "furikaeri/cli.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/text.h"

/* furikaeri roster sync: each person with an e-mail gets the chat id of
 * the account that has it (Slack users.lookupByEmail, Mattermost GET
 * users/email/{email}). The chat is asked first and the store written
 * after, one person at a time: no request waits inside a transaction. An
 * id already on the roster is never replaced by what the e-mail finds
 * (authority would move without a person deciding): the difference is
 * reported with the command that changes it. */

struct sync_counts {
	size_t found, unresolved, failed;
};

static void
say(const char *name, const char *fmt, const char *a, const char *b)
{
	char *clean_name = text_sanitize(name, false);
	char *clean_a = text_sanitize(a ? a : "", false);
	char *clean_b = text_sanitize(b ? b : "", false);

	printf("%s: ", clean_name);
	printf(fmt, clean_a, clean_b);
	putchar('\n');
	free(clean_name);
	free(clean_a);
	free(clean_b);
}

static void
sync_one(struct chat *c, struct store *st, const struct store_person *p, struct sync_counts *n)
{
	char *id = NULL, *handle = NULL, *err = NULL;
	int rc;

	if (p->email == NULL) {
		if (p->chat_id == NULL) {
			say(p->name, "no chat id and no e-mail%s%s: add one ('furikaeri roster set "
			    "NAME --email ADDRESS' or '--chat ID')", "", "");
			n->unresolved++;
		}
		return;
	}
	rc = chat_user_by_email(c, p->email, &id, &handle, &err);
	if (rc < 0) {
		say(p->name, "cannot ask the chat about %s: %s", p->email, err);
		n->failed++;
	} else if (rc == 0) {
		say(p->name, "%s finds no chat account: %s", p->email, err);
		n->unresolved++;
	} else if (p->chat_id == NULL) {
		if (store_person_set_chat(st, p->name, id, &err) < 0) {
			say(p->name, "%s%s", err, "");
			n->unresolved++;
		} else {
			say(p->name, "chat id %s (found by %s)", id, p->email);
			n->found++;
		}
	} else if (strcmp(p->chat_id, id) != 0) {
		say(p->name, "the roster has chat id %s but the e-mail is %s's in the chat: the "
		    "roster's is kept; 'furikaeri roster set NAME --chat ID' changes it", p->chat_id,
		    id);
		n->unresolved++;
	} else {
		say(p->name, "chat id %s (unchanged)%s", id, "");
		n->found++;
	}
	/* Mattermost mentions by username: kept for the chat's mentions */
	if (rc == 1 && handle != NULL && (p->chat_id == NULL || strcmp(p->chat_id, id) == 0) &&
	    store_person_set_chat_handle(st, p->name, handle, &err) < 0) {
		say(p->name, "%s%s", err, "");
		n->failed++;
	}
	free(id);
	free(handle);
	free(err);
}

int
cmd_roster_sync(struct cli *cli)
{
	struct config *cfg = cli_load_config(cli);
	struct store_people people;
	struct sync_counts n = { 0 };
	struct store *st;
	struct chat *c;
	char *err = NULL;

	if (cfg == NULL)
		return EXIT_CONFIG;
	if ((st = cli_open_store(cli)) == NULL) {
		config_free(cfg);
		return EXIT_STORE;
	}
	if ((c = chat_new(cfg, st, NULL, &err)) == NULL) {
		cli_error("roster", "sync asks the chat for each e-mail: %s", err);
		free(err);
		store_free(st);
		config_free(cfg);
		return EXIT_CONFIG;
	}
	/* a refused token would read as "nobody has this e-mail" */
	if (chat_verify(c, &err) != 1) {
		cli_error("roster", "sync cannot ask the chat: %s",
			  chat_refusal(c) ? chat_refusal(c) : err ? err : "no answer");
		free(err);
		chat_free(c);
		store_free(st);
		config_free(cfg);
		return EXIT_TRACKER;
	}
	if (store_people_list(st, &people, &err) < 0) {
		cli_error("roster", "%s", err);
		free(err);
		chat_free(c);
		store_free(st);
		config_free(cfg);
		return EXIT_STORE;
	}
	for (size_t i = 0; i < people.n; i++)
		sync_one(c, st, &people.people[i], &n);
	if (people.n == 0)
		fprintf(stderr, "furikaeri roster: nobody yet; add people with 'furikaeri roster "
			"add NAME --email ADDRESS'\n");
	store_people_free(&people);
	chat_free(c);
	store_free(st);
	config_free(cfg);
	return n.failed > 0 ? EXIT_TRACKER : n.unresolved > 0 ? EXIT_FAILED : EXIT_OK;
}
