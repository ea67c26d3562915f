/*
 * A tiny assertion harness for the C tests of libcallwire_c.
 *
 * Each CHECK counts one passed or failed assertion and keeps going; a
 * failure prints file:line, the expression and (for the code checks) the
 * cw_error. finish() prints the closing line exactly as
 *     N passed, N failed
 * and returns the exit status: non-zero when anything failed.
 *
 * Helpers for the tests: scratch paths, a wait on a condition polled by the
 * test itself (the SDK's threads deliver events asynchronously), and small
 * JSON lookups on the compact JSON callwire answers.
 */
#ifndef CALLWIRE_TEST_HARNESS_H
#define CALLWIRE_TEST_HARNESS_H

#define _POSIX_C_SOURCE 200809L

#include <callwire.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int t_passed = 0;
static int t_failed = 0;

static inline void t_record(int ok, const char *file, int line, const char *what, const char *detail) {
  if (ok) {
    t_passed++;
    return;
  }
  t_failed++;
  fprintf(stderr, "%s:%d: FAILED %s%s%s\n", file, line, what, detail != NULL ? "\n    " : "", detail != NULL ? detail : "");
}

#define CHECK(cond) t_record((cond) != 0, __FILE__, __LINE__, #cond, NULL)

/* CHECK_RC(expr, CW_ENOTFOUND, &err): the expression returns exactly that code.
   On a mismatch the cw_error's message is shown (bounded: a successful call
   leaves it untouched, possibly uninitialised). */
#define CHECK_RC(expr, expected, errp) t_check_rc((expr), (expected), (errp), __FILE__, __LINE__, #expr)

static inline void t_check_rc(int rc, int expected, const cw_error *err, const char *file, int line, const char *what) {
  char detail[CW_ERROR_MESSAGE_SIZE + 128];
  if (rc == expected) {
    t_record(1, file, line, what, NULL);
    return;
  }
  snprintf(detail, sizeof detail, "got %s (%d), expected %s; message: %.*s", cw_status_name(rc), rc,
           cw_status_name(expected), (int)(CW_ERROR_MESSAGE_SIZE - 1), err != NULL ? err->message : "(no cw_error)");
  t_record(0, file, line, what, detail);
}

#define CHECK_OK(expr, errp) CHECK_RC(expr, CW_OK, errp)

/* The text contains the fragment. */
#define CHECK_HAS(text, fragment)                                                                   \
  do {                                                                                              \
    const char *t_text_ = (text);                                                                   \
    char t_detail_[600];                                                                            \
    snprintf(t_detail_, sizeof t_detail_, "looked for \"%s\" in: %.480s", (fragment),               \
             t_text_ != NULL ? t_text_ : "(NULL)");                                                 \
    t_record(t_text_ != NULL && strstr(t_text_, (fragment)) != NULL, __FILE__, __LINE__,            \
             "CHECK_HAS(" #text ", " #fragment ")", t_detail_);                                     \
  } while (0)

#define CHECK_LACKS(text, fragment)                                                                 \
  do {                                                                                              \
    const char *t_text_ = (text);                                                                   \
    t_record(t_text_ != NULL && strstr(t_text_, (fragment)) == NULL, __FILE__, __LINE__,            \
             "CHECK_LACKS(" #text ", " #fragment ")", t_text_);                                     \
  } while (0)

#define CHECK_STR(actual, expected)                                                                 \
  do {                                                                                              \
    const char *t_a_ = (actual);                                                                    \
    t_record(t_a_ != NULL && strcmp(t_a_, (expected)) == 0, __FILE__, __LINE__,                    \
             "CHECK_STR(" #actual ", " #expected ")", t_a_ != NULL ? t_a_ : "(NULL)");             \
  } while (0)

static inline int finish(void) {
  printf("%d passed, %d failed\n", t_passed, t_failed);
  return t_failed == 0 ? 0 : 1;
}

/* Sleeps `ms` milliseconds (for polling loops, never for assertions on time). */
static inline void t_sleep_ms(long ms) {
  struct timespec ts;
  ts.tv_sec = ms / 1000;
  ts.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&ts, NULL);
}

/* A fresh SQLite URL in a scratch folder of the build tree: "sqlite:///…/name-<pid>.db". */
static inline void t_db_url(char *out, size_t size, const char *name) {
  char path[512];
  snprintf(path, sizeof path, "%s/%s-%ld.db", CAPI_TEST_SCRATCH_DIR, name, (long)getpid());
  remove(path);
  {
    char side[600];
    snprintf(side, sizeof side, "%s-wal", path);
    remove(side);
    snprintf(side, sizeof side, "%s-shm", path);
    remove(side);
  }
  snprintf(out, size, "sqlite://%s", path);
}

/* Copies the string value of "field" from compact JSON ({"field":"value"}); "" when absent or not a string. */
static inline const char *t_json_str(const char *json, const char *field, char *out, size_t size) {
  char key[96];
  const char *p;
  size_t n = 0;
  out[0] = '\0';
  if (json == NULL) return out;
  snprintf(key, sizeof key, "\"%s\":\"", field);
  p = strstr(json, key);
  if (p == NULL) return out;
  p += strlen(key);
  while (p[n] != '\0' && p[n] != '"' && n + 1 < size) n++;
  memcpy(out, p, n);
  out[n] = '\0';
  return out;
}

/* The integer value of "field" in compact JSON; -1 when absent. */
static inline long t_json_int(const char *json, const char *field) {
  char key[96];
  const char *p;
  if (json == NULL) return -1;
  snprintf(key, sizeof key, "\"%s\":", field);
  p = strstr(json, key);
  if (p == NULL) return -1;
  return strtol(p + strlen(key), NULL, 10);
}

/* How many times `fragment` occurs in `text`. */
static inline int t_count(const char *text, const char *fragment) {
  int n = 0;
  const char *p = text;
  size_t len = strlen(fragment);
  if (text == NULL || len == 0) return 0;
  while ((p = strstr(p, fragment)) != NULL) {
    n++;
    p += len;
  }
  return n;
}

#endif /* CALLWIRE_TEST_HARNESS_H */
