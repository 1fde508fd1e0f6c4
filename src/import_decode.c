#include "config.h"

#include <dlfcn.h>
#include <iconv.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <uchardet/uchardet.h>

#include "furikaeri/err.h"
#include "furikaeri/import.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* A file that is not UTF-8 is read in a legacy encoding only when that
 * encoding is known for sure: uchardet (the detector of Firefox's lineage,
 * in Debian as libuchardet) names it, it is one of the encodings below, the
 * whole file converts, and enough of the text lies outside ASCII for the
 * guess to rest on something. Anything else is refused with the command
 * that converts it: a wrong guess would store mojibake
 * ("Datenbank\xe4nderung" read as Shift_JIS is "Datenbank舅derung"). */

/* Characters outside ASCII below which no guess is trusted: one accented
 * letter reads as well in a dozen single-byte encodings. */
#define DECODE_MIN_EVIDENCE 8

static const struct {
	const char *detected;	/* uchardet's name */
	const char *iconv;	/* what iconv converts from */
	const char *note;	/* what the import says */
} decode_known[] = {
	{ "SHIFT_JIS", "CP932", "converted from Shift_JIS" },
	{ "EUC-JP", "EUC-JP", "converted from EUC-JP" },
	/* Windows-1252 is Latin-1 with printable characters where Latin-1 has
	 * C1 controls, which no text holds: both read as Windows-1252 */
	{ "WINDOWS-1252", "CP1252", "converted from Latin-1 (Windows-1252)" },
	{ "ISO-8859-1", "CP1252", "converted from Latin-1 (Windows-1252)" },
	{ "ISO-8859-15", "ISO-8859-15", "converted from ISO-8859-15" },
};

/* The first line and byte where buf stops being UTF-8. */
static void
first_bad_byte(const char *buf, size_t len, size_t *line, unsigned *byte)
{
	size_t i = 0, ln = 1;

	while (i < len) {
		uint32_t cp;
		size_t n = text_utf8_decode(buf + i, len - i, &cp);
		if (n == 0 || cp == 0xFFFD || buf[i] == '\0')
			break;
		if (buf[i] == '\n')
			ln++;
		i += n;
	}
	*line = ln;
	*byte = i < len ? (unsigned char)buf[i] : 0;
}

/* Converts with iconv; NULL when the bytes are not valid in that encoding. */
static char *
convert(const char *from, const char *buf, size_t len, size_t *out_len)
{
	iconv_t cd = iconv_open("UTF-8", from);
	size_t cap = len * 3 + 16, left_out = cap, left_in = len;
	char *out, *o, *in = (char *)buf;

	if (cd == (iconv_t)-1)
		return NULL;
	out = xmalloc(cap + 1);
	o = out;
	if (iconv(cd, &in, &left_in, &o, &left_out) == (size_t)-1 || left_in != 0) {
		iconv_close(cd);
		free(out);
		return NULL;
	}
	iconv_close(cd);
	*o = '\0';
	*out_len = (size_t)(o - out);
	if (memchr(out, '\0', *out_len) != NULL) {
		free(out);
		return NULL;
	}
	return out;
}

/* Characters outside ASCII in UTF-8 text, or SIZE_MAX when one is a C1
 * control (U+0080..U+009F), which no real text holds: a sign that the
 * bytes were read in the wrong single-byte encoding. */
static size_t
non_ascii(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == 0xC2 && i + 1 < len && (unsigned char)s[i + 1] <= 0x9F)
			return SIZE_MAX;
		if (c >= 0xC0)
			n++;
	}
	return n;
}

/* uchardet is loaded when a file first needs it, as libcurl is (see
 * src/http.c): linked, it and the C++ runtime it brings cost every start
 * some 3 ms, for the rare file that is not UTF-8. */
static struct uchardet_api {
	uchardet_t (*new)(void);
	void (*delete)(uchardet_t ud);
	int (*handle_data)(uchardet_t ud, const char *data, size_t len);
	void (*data_end)(uchardet_t ud);
	const char *(*get_charset)(uchardet_t ud);
} ud_api;

static pthread_once_t ud_once = PTHREAD_ONCE_INIT;
static char *ud_load_error;	/* why uchardet could not be loaded, or NULL */

static void
ud_load(void)
{
	static const struct {
		const char *name;
		size_t offset;
	} syms[] = {
#define SYM(field) { .name = "uchardet_" #field, .offset = offsetof(struct uchardet_api, field) }
		SYM(new), SYM(delete), SYM(handle_data), SYM(data_end), SYM(get_charset),
#undef SYM
	};
	void *lib = dlopen(FK_UCHARDET_SONAME, RTLD_NOW | RTLD_LOCAL);

	if (lib == NULL) {
		ud_load_error = xasprintf("cannot load uchardet to tell its encoding (%s); install "
					  "it with: apt-get install libuchardet0", dlerror());
		return;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++) {
		void *fn = dlsym(lib, syms[i].name);
		if (fn == NULL) {
			ud_load_error = xasprintf("%s has no %s; install libuchardet0",
						  FK_UCHARDET_SONAME, syms[i].name);
			return;
		}
		/* POSIX: a function's address comes back as a void * */
		memcpy((char *)&ud_api + syms[i].offset, &fn, sizeof(fn));
	}
}

/* What uchardet says the bytes are ("" when it cannot tell; owned), or
 * NULL with *err set when uchardet cannot be loaded. */
static char *
detect(const char *buf, size_t len, char **err)
{
	uchardet_t ud;
	char *name;

	pthread_once(&ud_once, ud_load);
	if (ud_load_error != NULL) {
		err_set(err, "%s", ud_load_error);
		return NULL;
	}
	if ((ud = ud_api.new()) == NULL)
		return xstrdup("");
	if (ud_api.handle_data(ud, buf, len) != 0) {
		ud_api.delete(ud);
		return xstrdup("");
	}
	ud_api.data_end(ud);
	const char *charset = ud_api.get_charset(ud);
	name = xstrdup(charset != NULL ? charset : "");
	ud_api.delete(ud);
	return name;
}

/* Converts from the detected encoding when the guess is sure; else NULL. */
static char *
convert_detected(const char *name, const char *buf, size_t len, size_t *out_len,
		 const char **note)
{
	for (size_t k = 0; k < sizeof(decode_known) / sizeof(decode_known[0]); k++) {
		if (strcasecmp(name, decode_known[k].detected) != 0)
			continue;
		char *out = convert(decode_known[k].iconv, buf, len, out_len);
		size_t n = out != NULL ? non_ascii(out, *out_len) : 0;
		if (out == NULL || n == SIZE_MAX || n < DECODE_MIN_EVIDENCE) {
			free(out);
			return NULL;
		}
		*note = decode_known[k].note;
		return out;
	}
	return NULL;
}

static void
refuse(const char *buf, size_t len, const char *path, const char *guess, char **err)
{
	size_t line;
	unsigned byte;

	first_bad_byte(buf, len, &line, &byte);
	err_set(err, "%s:%zu: not UTF-8 (byte 0x%02X), and its encoding cannot be told for sure "
		"(%s%s); convert it to UTF-8 and import it again, e.g. iconv -f %s -t UTF-8 '%s' "
		"-o '%s.utf8' && mv '%s.utf8' '%s' (iconv -l lists the encodings)",
		path, line, byte, guess[0] != '\0' ? "it may be " : "too little text to tell",
		guess, guess[0] != '\0' ? guess : "ENCODING", path, path, path, path);
}

int
import_decode(const char *buf, size_t len, const char *path, char **out, size_t *out_len,
	      const char **note, char **err)
{
	*note = NULL;
	*out = NULL;
	if (len >= 2 && (((unsigned char)buf[0] == 0xFF && (unsigned char)buf[1] == 0xFE) ||
			 ((unsigned char)buf[0] == 0xFE && (unsigned char)buf[1] == 0xFF))) {
		if ((*out = convert("UTF-16", buf, len, out_len)) == NULL) {
			err_set(err, "%s:1: starts as UTF-16 but is not valid UTF-16; save the file "
				"as UTF-8", path);
			return -1;
		}
		*note = "converted from UTF-16";
		return 0;
	}
	if (text_utf8_valid(buf, len)) {
		size_t skip = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
		/* a NUL byte inside is left to the parser, which marks it */
		*out = xmalloc(len - skip + 1);
		memcpy(*out, buf + skip, len - skip);
		(*out)[len - skip] = '\0';
		*out_len = len - skip;
		return 0;
	}
	char *why = NULL, *name = detect(buf, len, &why);
	if (name == NULL) {
		size_t line;
		unsigned byte;
		first_bad_byte(buf, len, &line, &byte);
		err_set(err, "%s:%zu: not UTF-8 (byte 0x%02X), and %s", path, line, byte, why);
		free(why);
		return -1;
	}
	*out = convert_detected(name, buf, len, out_len, note);
	if (*out == NULL)
		refuse(buf, len, path, name, err);
	free(name);
	return *out != NULL ? 0 : -1;
}

/* One copy of the input: invalid UTF-8 repaired, BOM dropped, CRLF and CR as LF. */
char *
import_clean_input(const char *buf, size_t len, size_t *out_len)
{
	char *repaired = NULL;

	if (!text_utf8_valid(buf, len) || memchr(buf, '\0', len) != NULL) {
		struct strbuf sb = STRBUF_INIT;
		for (size_t i = 0; i < len;) {
			const char *z = memchr(buf + i, '\0', len - i);
			size_t n = z != NULL ? (size_t)(z - (buf + i)) : len - i;
			char *part = text_utf8_repair(buf + i, n);
			strbuf_adds(&sb, part);
			free(part);
			i += n;
			if (z != NULL) {
				strbuf_add(&sb, "\xEF\xBF\xBD", 3);
				i++;
			}
		}
		len = sb.len;
		repaired = strbuf_detach(&sb);
		buf = repaired;
	}
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	char *out = xmalloc(len + 1);
	size_t o = 0;
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\r') {
			out[o++] = '\n';
			if (i + 1 < len && buf[i + 1] == '\n')
				i++;
		} else {
			out[o++] = buf[i];
		}
	}
	out[o] = '\0';
	free(repaired);
	*out_len = o;
	return out;
}
