#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "furikaeri/strbuf.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"

/* Writes a synthetic archive for the benchmarks, the same bytes for the same
 * seed: N postmortems in Markdown (1-30 KB, about 30% Japanese, tables, task
 * lists, YAML front matter or bold metadata), W weeks of minutes JSON ending
 * the week before TODAY, one long meeting of TODAY's week (hundreds of
 * entries, still running) and a file of 100 search queries. */

static const char usage[] =
	"usage: gen [-n POSTMORTEMS] [-w WEEKS] [-s SEED] [-e LONG_ENTRIES] -t YYYY-MM-DD DIR\n";

static uint64_t gen_state;

static uint64_t
gen_rand(void)
{
	gen_state ^= gen_state << 13;
	gen_state ^= gen_state >> 7;
	gen_state ^= gen_state << 17;
	return gen_state;
}

static size_t
gen_below(size_t n)
{
	return (size_t)(gen_rand() % n);
}

#define PICK(a) ((a)[gen_below(sizeof(a) / sizeof((a)[0]))])

static const char *const en_topics[] = {
	"payment API", "search cluster", "login service", "push notifications", "CDN",
	"checkout", "billing batch", "session cache", "image resizer", "support console",
	"mail relay", "feature flags", "mobile app", "data warehouse", "rate limiter",
};

static const char *const en_failures[] = {
	"timeouts after deploy", "outage during failover", "slow responses at peak",
	"stale data after migration", "errors from an expired certificate",
	"crash loop on start", "duplicate charges", "missing events",
};

static const char *const en_sentences[] = {
	"The retry policy had no jitter and no budget, so every client retried at once.",
	"The connection pool was exhausted within four minutes of the deploy.",
	"The canary received too little traffic to show the saturation.",
	"An alert on the error rate fired after five minutes and paged the on-call engineer.",
	"The runbook step for draining the queue was out of date.",
	"A configuration change was applied to every region at the same time.",
	"The health check only tested that the process was alive, not that it served requests.",
	"Customers saw a spinner on the checkout page and some abandoned their carts.",
	"Support received 310 tickets, most of them asking whether they were charged twice.",
	"The dashboard showed p95 latency above 8 seconds for the whole window.",
	"Rolling back to the previous release stopped the errors within two minutes.",
	"The migration locked the table longer than the statement timeout allowed.",
	"Nothing in the pipeline checked that the schema and the code agreed.",
	"The certificate renewal job had been failing silently for three weeks.",
	"A cache stampede followed the expiry of a popular key.",
	"Idempotency keys were not sent by the older mobile clients.",
};

static const char *const ja_topics[] = {
	"決済API", "検索クラスタ", "ログイン", "プッシュ通知", "CDN", "チェックアウト",
	"請求バッチ", "セッションキャッシュ", "画像変換", "問い合わせ管理画面",
};

static const char *const ja_failures[] = {
	"の障害", "のタイムアウト", "の遅延", "の二重課金", "の証明書切れ", "のデータ不整合",
};

static const char *const ja_sentences[] = {
	"リトライにジッターがなく、すべてのクライアントが同時に再試行した。",
	"デプロイから四分でコネクションプールが枯渇した。",
	"カナリアに流したトラフィックが少なく、飽和が見えなかった。",
	"エラー率のアラートが五分後に発火し、当番のエンジニアが呼び出された。",
	"キューを空にする手順書が古くなっていた。",
	"設定の変更がすべてのリージョンに同時に適用された。",
	"ヘルスチェックはプロセスの生存だけを確かめ、リクエストを処理できるかは見ていなかった。",
	"お客様には決済画面で読み込み中の表示が続き、一部は購入をやめた。",
	"問い合わせが三百十件あり、多くは二重に請求されたかどうかの確認だった。",
	"ひとつ前のリリースに戻すと二分でエラーが止まった。",
	"マイグレーションがテーブルを長くロックし、ステートメントのタイムアウトを超えた。",
	"証明書の更新ジョブが三週間前から黙って失敗していた。",
	"人気のキーが期限切れになり、キャッシュへのアクセスが集中した。",
	"古いモバイルアプリは冪等キーを送っていなかった。",
};

static const char *const en_measures[] = {
	"Add jitter and a retry budget", "Alert on pool saturation", "Canary with 10% traffic",
	"Load test the pool size", "Check the schema version in the deploy pipeline",
	"Monitor certificate expiry", "Send idempotency keys from every client",
	"Stagger config rollout by region", "Serve health checks through the request path",
};

static const char *const ja_measures[] = {
	"リトライにジッターと上限を入れる", "コネクションプールの飽和を監視する",
	"カナリアに一割のトラフィックを流す", "証明書の期限を監視する",
	"デプロイ前にスキーマのバージョンを確かめる", "設定の反映をリージョンごとにずらす",
};

static const char *const people[] = {
	"Aoi", "Ken", "Mei", "Sato", "Diego", "Priya", "佐藤", "鈴木",
};

static const char *const severities[] = { "SEV1", "SEV2", "SEV3", "SEV3", "SEV4", "SEV5" };

static const char *const statuses[] = { "ready", "ready", "ready", "closed", "in review", "draft" };

static const char *const en_queries[] = {
	"retry", "jitter", "pool", "canary", "certificate", "runbook", "migration", "checkout",
	"spinner", "idempotency", "stampede", "failover", "latency", "rollback", "schema",
	"retry budget", "connection pool", "health check", "error rate", "deploy pipeline",
	"support tickets", "cache stampede", "mobile clients", "statement timeout",
	"the retry policy", "configuration change", "previous release", "alert", "saturation",
	"renewal",
};

static const char *const ja_queries[] = {
	"障害", "決済", "検索", "遅延", "監視", "証明", "手順", "設定", "二重", "請求",
	"リトライ", "ジッター", "コネクションプール", "カナリア", "タイムアウト",
	"証明書の期限", "キャッシュ", "マイグレーション", "冪等キー", "問い合わせ",
};

/* Names of components, hosts and error codes: real archives have a long
 * tail of rare words, and people search for them. Made of syllables, Latin
 * and katakana; word r of LEXICON_SIZE is used with a weight falling with
 * r, so a few are common and most are rare. */
#define LEXICON_SIZE 4000

static const char *const en_syllables[] = {
	"ka", "to", "ri", "mo", "na", "se", "lu", "vi", "ra", "po", "de", "zu", "mi", "ke", "sa",
	"no", "ti", "ba", "re", "go",
};

static const char *const ja_syllables[] = {
	"カ", "ト", "リ", "モ", "ナ", "セ", "ル", "ヴィ", "ラ", "ポ", "デ", "ズ", "ミ", "ケ", "サ",
	"ノ", "ティ", "バ", "レ", "ゴ",
};

/* Word r in the Latin or katakana spelling (the same r, the same sounds). */
static void
gen_word(struct strbuf *sb, size_t r, bool ja)
{
	size_t n = sizeof(en_syllables) / sizeof(en_syllables[0]);

	for (size_t k = r + n; k > 0; k /= n)
		strbuf_adds(sb, ja ? ja_syllables[k % n] : en_syllables[k % n]);
}

static size_t
gen_zipf(void)
{
	double u = (double)gen_below(1000000) / 1000000.0;

	return (size_t)((double)LEXICON_SIZE * u * u * u);
}

static void
gen_write(const char *path, const struct strbuf *sb)
{
	FILE *f = fopen(path, "w");

	if (f == NULL || fwrite(strbuf_str(sb), 1, sb->len, f) != sb->len || fclose(f) != 0) {
		fprintf(stderr, "gen: cannot write %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

static void
gen_mkdir(const char *path)
{
	if (mkdir(path, 0755) < 0 && errno != EEXIST) {
		fprintf(stderr, "gen: cannot create %s: %s\n", path, strerror(errno));
		exit(1);
	}
}

/* Sizes skewed towards small files, as real archives are: 1 KB to 30 KB. */
static size_t
gen_target_size(void)
{
	double u = (double)gen_below(10000) / 10000.0;

	return 1024 + (size_t)(29.0 * 1024 * u * u * u);
}

static void
gen_paragraphs(struct strbuf *sb, bool ja, size_t until)
{
	while (sb->len < until) {
		int n = 2 + (int)gen_below(4);
		for (int i = 0; i < n; i++) {
			strbuf_adds(sb, ja ? PICK(ja_sentences) : PICK(en_sentences));
			strbuf_addc(sb, ja ? '\n' : ' ');
			if (gen_below(2) == 0) {
				strbuf_adds(sb, ja ? "関係したのは " : "It involved ");
				gen_word(sb, gen_zipf(), ja);
				strbuf_adds(sb, ja ? " と " : " and ");
				gen_word(sb, gen_zipf(), ja);
				strbuf_adds(sb, ja ? "。\n" : ". ");
			}
		}
		strbuf_adds(sb, "\n\n");
	}
}

static void
gen_postmortem(struct strbuf *sb, size_t i, long day)
{
	bool ja = gen_below(10) < 3, front = gen_below(2) == 0;
	const char *sev = PICK(severities), *status = PICK(statuses);
	size_t target = gen_target_size();
	char date[WEEK_DATE_STRLEN], title[256];
	size_t base;

	week_date_format(day, date);
	if (ja)
		snprintf(title, sizeof(title), "%s%s", PICK(ja_topics), PICK(ja_failures));
	else
		snprintf(title, sizeof(title), "%s %s", PICK(en_topics), PICK(en_failures));
	strbuf_reset(sb);
	if (front) {
		strbuf_addf(sb, "---\nid: pm-%05zu\ntitle: \"%s\"\ndate: %s\ntime: \"%02zu:%02zu\"\n"
			    "tz: JST\nseverity: %s\nstatus: %s\nauthors: [%s, %s]\n"
			    "tags: [bench, t%zu]\n---\n\n# %s\n\n", i, title, date,
			    gen_below(24), gen_below(60), sev, status, PICK(people), PICK(people),
			    gen_below(40), title);
	} else {
		strbuf_addf(sb, "# %s\n\n**ID:** pm-%05zu\n**Date:** %s\n**Severity:** %s\n"
			    "**Status:** %s\n**Authors:** %s, %s\n\n", title, i, date, sev, status,
			    PICK(people), PICK(people));
	}
	base = sb->len;
	strbuf_adds(sb, ja ? "## 概要\n\n" : "## Summary\n\n");
	gen_paragraphs(sb, ja, sb->len + 200);
	strbuf_adds(sb, ja ? "## 影響\n\n" : "## Impact\n\n");
	strbuf_addf(sb, ja ? "- 決済の %zu%% が失敗した\n- 問い合わせ %zu 件\n\n"
		    : "- %zu%% of checkouts failed\n- %zu support tickets\n\n",
		    1 + gen_below(40), gen_below(500));
	strbuf_adds(sb, ja ? "## 根本原因\n\n" : "## Root Cause\n\n");
	gen_paragraphs(sb, ja, base + (target - base) / 3);
	strbuf_adds(sb, ja ? "## タイムライン\n\n" : "## Timeline\n\n");
	for (int h = 0, n = 3 + (int)gen_below(8); h < n; h++)
		strbuf_addf(sb, "- %02d:%02zu %s\n", 9 + h, gen_below(60),
			    ja ? PICK(ja_sentences) : PICK(en_sentences));
	strbuf_adds(sb, ja ? "\n## 検知\n\n" : "\n## Detection\n\n");
	gen_paragraphs(sb, ja, base + 2 * (target - base) / 3);
	strbuf_adds(sb, ja ? "## 教訓\n\n" : "## Lessons Learned\n\n");
	gen_paragraphs(sb, ja, target > sb->len + 300 ? target - 300 : sb->len + 100);
	strbuf_adds(sb, ja ? "## 再発防止策\n\n" : "## Action Items\n\n");
	if (gen_below(2) == 0) {
		strbuf_adds(sb, "| Action | Owner | Due | Status | Ticket |\n|---|---|---|---|---|\n");
		for (int m = 0, n = 1 + (int)gen_below(4); m < n; m++)
			strbuf_addf(sb, "| %s | %s | 2026-12-%02zu | %s | OPS-%zu |\n",
				    ja ? PICK(ja_measures) : PICK(en_measures), PICK(people),
				    1 + gen_below(28), gen_below(3) == 0 ? "Done" : "Open",
				    100 + gen_below(900));
	} else {
		for (int m = 0, n = 1 + (int)gen_below(4); m < n; m++)
			strbuf_addf(sb, "- [%c] %s (@%s)\n", gen_below(3) == 0 ? 'x' : ' ',
				    ja ? PICK(ja_measures) : PICK(en_measures), PICK(people));
	}
}

static void
gen_json_string(struct strbuf *sb, const char *s)
{
	strbuf_addc(sb, '"');
	for (; *s != '\0'; s++) {
		if (*s == '"' || *s == '\\')
			strbuf_addc(sb, '\\');
		strbuf_addc(sb, *s);
	}
	strbuf_addc(sb, '"');
}

struct gen_item {
	const char *kind;
	char pm[32];
	char title[128];
};

/* One meeting in the furikaeri-minutes format (see furikaeri(5)). */
static void
gen_minutes(struct strbuf *sb, const char *week, const char *monday, size_t n_pm,
	    size_t n_entries, bool running, unsigned long *marker)
{
	struct gen_item items[8];
	size_t n_items = 0, n_pms = 2 + gen_below(4);

	items[n_items++] = (struct gen_item){ .kind = "followups", .title = "Follow-ups" };
	for (size_t i = 0; i < n_pms; i++) {
		struct gen_item *it = &items[n_items++];
		it->kind = "postmortem";
		snprintf(it->pm, sizeof(it->pm), "pm-%05zu", gen_below(n_pm));
		snprintf(it->title, sizeof(it->title), "%s %s", PICK(en_topics), PICK(en_failures));
	}
	items[n_items++] = (struct gen_item){ .kind = "wrapup", .title = "Wrap-up" };
	strbuf_reset(sb);
	strbuf_addf(sb, "{\n  \"format\": \"furikaeri-minutes\",\n  \"format_version\": 1,\n"
		    "  \"week\": \"%s\",\n  \"facilitator\": \"%s\",\n  \"backup\": \"%s\",\n"
		    "  \"budget_minutes\": 60,\n  \"started_at\": \"%sT10:00:00Z\",\n",
		    week, PICK(people), PICK(people), monday);
	if (running)
		strbuf_adds(sb, "  \"ended_at\": null,\n");
	else
		strbuf_addf(sb, "  \"ended_at\": \"%sT10:58:00Z\",\n", monday);
	strbuf_adds(sb, "  \"attendees\": [\"Aoi\", \"Ken\", \"Mei\", \"佐藤\"],\n  \"items\": [\n");
	for (size_t i = 0; i < n_items; i++) {
		const struct gen_item *it = &items[i];
		bool pm = it->pm[0] != '\0';
		strbuf_addf(sb, "    {\"kind\": \"%s\", \"postmortem\": ", it->kind);
		if (pm)
			gen_json_string(sb, it->pm);
		else
			strbuf_adds(sb, "null");
		strbuf_adds(sb, ", \"title\": ");
		gen_json_string(sb, it->title);
		strbuf_addf(sb, ", \"source\": null, \"severity\": %s, \"date\": %s, "
			    "\"state\": \"%s\", \"budget_seconds\": 900, \"spent_seconds\": %d, "
			    "\"carried_over\": false}%s\n", pm ? "\"SEV3\"" : "null",
			    pm ? "\"2020-01-01\"" : "null",
			    running ? (i == 1 ? "current" : "pending") : "done", running ? 0 : 600,
			    i + 1 < n_items ? "," : "");
	}
	strbuf_adds(sb, "  ],\n  \"entries\": [\n");
	for (size_t e = 0; e < n_entries; e++) {
		bool ja = gen_below(10) < 3, action = gen_below(6) == 0;
		size_t item = running ? 1 : gen_below(n_items);
		const char *kind = action ? "action" : PICK(((const char *const[]){
			"note", "note", "note", "question", "decision", "link" }));
		strbuf_addf(sb, "    {\"seq\": %zu, \"item\": %zu, \"kind\": \"%s\", \"text\": ",
			    e + 1, item, kind);
		if (strcmp(kind, "link") == 0)
			strbuf_addf(sb, "\"https://github.com/acme/pay/pull/%zu\"", 100 + gen_below(900));
		else if (action)
			gen_json_string(sb, ja ? PICK(ja_measures) : PICK(en_measures));
		else
			gen_json_string(sb, ja ? PICK(ja_sentences) : PICK(en_sentences));
		strbuf_addf(sb, ", \"created_at\": \"%sT10:%02zu:00Z\", \"edited_at\": null, "
			    "\"deleted_at\": null, \"measure\": ", monday, e * 58 / n_entries);
		if (action) {
			bool agreed = running || gen_below(2) == 0;
			strbuf_addf(sb, "{\"marker\": \"fk-%032lx\", \"owner\": \"%s\", "
				    "\"due\": \"2026-12-15\", \"status\": \"%s\", \"agreed_at\": ",
				    ++*marker, PICK(people), gen_below(3) == 0 ? "done" : "open");
			if (agreed)
				strbuf_addf(sb, "\"%sT10:%02zu:30Z\"", monday, e * 58 / n_entries);
			else
				strbuf_adds(sb, "null");
			strbuf_adds(sb, ", \"done_at\": null, \"ticket\": null, \"ticket_url\": null, "
				    "\"ticket_state\": null}");
		} else {
			strbuf_adds(sb, "null");
		}
		strbuf_addf(sb, "}%s\n", e + 1 < n_entries ? "," : "");
	}
	strbuf_adds(sb, "  ],\n  \"roster\": [\n");
	for (size_t p = 0; p < sizeof(people) / sizeof(people[0]); p++) {
		strbuf_adds(sb, "    {\"name\": ");
		gen_json_string(sb, people[p]);
		strbuf_addf(sb, ", \"role\": null, \"away_until\": null}%s\n",
			    p + 1 < sizeof(people) / sizeof(people[0]) ? "," : "");
	}
	strbuf_adds(sb, "  ],\n  \"next\": {\"facilitator\": \"Ken\", \"backup\": \"Mei\"}\n}\n");
}

/* Half the queries are everyday words (common), half are names from the
 * lexicon picked evenly (mostly rare): English and Japanese alternate. */
static void
gen_queries(const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	size_t n_en = sizeof(en_queries) / sizeof(en_queries[0]);
	size_t n_ja = sizeof(ja_queries) / sizeof(ja_queries[0]);

	for (size_t i = 0; i < 100; i++) {
		bool ja = i % 2 == 1;
		if (i % 4 < 2)
			strbuf_adds(&sb, ja ? ja_queries[(i / 4) % n_ja] : en_queries[(i / 4) % n_en]);
		else
			gen_word(&sb, gen_below(LEXICON_SIZE), ja);
		strbuf_addc(&sb, '\n');
	}
	gen_write(path, &sb);
	strbuf_release(&sb);
}

int
main(int argc, char **argv)
{
	size_t n = 10000, weeks = 260, long_entries = 400;
	unsigned long seed = 1, marker = 0;
	const char *today = NULL;
	struct strbuf sb = STRBUF_INIT;
	char *path;
	int c;

	while ((c = getopt(argc, argv, "n:w:s:e:t:")) != -1) {
		switch (c) {
		case 'n': n = strtoul(optarg, NULL, 10); break;
		case 'w': weeks = strtoul(optarg, NULL, 10); break;
		case 's': seed = strtoul(optarg, NULL, 10); break;
		case 'e': long_entries = strtoul(optarg, NULL, 10); break;
		case 't': today = optarg; break;
		default: fputs(usage, stderr); return 2;
		}
	}
	long today_day;
	if (optind + 1 != argc || today == NULL || !week_date_parse(today, &today_day) || n == 0) {
		fputs(usage, stderr);
		return 2;
	}
	gen_state = 0x9e3779b97f4a7c15ULL ^ (seed * 0xbf58476d1ce4e5b9ULL);
	const char *dir = argv[optind];
	gen_mkdir(dir);
	path = xasprintf("%s/postmortems", dir);
	gen_mkdir(path);
	free(path);
	path = xasprintf("%s/minutes", dir);
	gen_mkdir(path);
	free(path);

	/* the postmortems span the same years as the meetings */
	long span = (long)(weeks > 0 ? weeks : 52) * 7;
	for (size_t i = 0; i < n; i++) {
		path = xasprintf("%s/postmortems/%03zu", dir, i / 500);
		gen_mkdir(path);
		free(path);
		gen_postmortem(&sb, i, today_day - span + (long)(i * (size_t)span / n));
		path = xasprintf("%s/postmortems/%03zu/pm-%05zu.md", dir, i / 500, i);
		gen_write(path, &sb);
		free(path);
	}

	struct week w = week_of_day(today_day);
	for (size_t k = weeks; k > 0; k--) {
		struct week wk = w;
		char name[WEEK_STRLEN], monday[WEEK_DATE_STRLEN];
		for (size_t j = 0; j < k; j++)
			wk = week_prev(wk);
		week_format(wk, name);
		week_date_format(week_monday(wk), monday);
		gen_minutes(&sb, name, monday, n, 8 + gen_below(20), false, &marker);
		path = xasprintf("%s/minutes/%s.json", dir, name);
		gen_write(path, &sb);
		free(path);
	}
	{
		char name[WEEK_STRLEN], monday[WEEK_DATE_STRLEN];
		week_format(w, name);
		week_date_format(week_monday(w), monday);
		gen_minutes(&sb, name, monday, n, long_entries, true, &marker);
		path = xasprintf("%s/long-meeting.json", dir);
		gen_write(path, &sb);
		free(path);
	}
	path = xasprintf("%s/queries.txt", dir);
	gen_queries(path);
	free(path);
	strbuf_release(&sb);
	return 0;
}
