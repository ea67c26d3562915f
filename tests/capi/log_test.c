/*
 * cw_log_set_handler: records at and above the level reach the callback with
 * their fields (a cw_server request's records carry its X-Request-Id), the
 * level filters, a bad level and a call from inside the callback are
 * refused, NULL restores the default, and after the call returns the old
 * callback never runs again.
 */
#include "harness.h"
#include "http_client.h"

#include <pthread.h>

#define MAX_SEEN 64

typedef struct seen {
  pthread_mutex_t mu;
  int count;
  int levels[MAX_SEEN];
  char components[MAX_SEEN][32];
  char messages[MAX_SEEN][256];
  char request_ids[MAX_SEEN][80];
  int64_t times[MAX_SEEN];
  unsigned versions[MAX_SEEN];
  int lengths_ok;
  int reentry_rc; /* what cw_log_set_handler answered from inside the callback */
} seen;

static void on_log(void *user_data, const cw_log_record *r) {
  seen *s = (seen *)user_data;
  pthread_mutex_lock(&s->mu);
  if (s->count < MAX_SEEN) {
    int i = s->count++;
    s->levels[i] = r->level;
    s->versions[i] = r->version;
    s->times[i] = r->time_ms;
    snprintf(s->components[i], sizeof s->components[i], "%s", r->component);
    snprintf(s->messages[i], sizeof s->messages[i], "%s", r->message);
    snprintf(s->request_ids[i], sizeof s->request_ids[i], "%s", r->request_id);
    if (strlen(r->message) != r->message_len) s->lengths_ok = 0;
  }
  pthread_mutex_unlock(&s->mu);
}

static void on_log_reentering(void *user_data, const cw_log_record *r) {
  seen *s = (seen *)user_data;
  (void)r;
  s->reentry_rc = cw_log_set_handler(CW_LOG_INFO, NULL, NULL);
  s->count++;
}

/* The index of the first record whose message contains `fragment`, or -1. */
static int find(seen *s, const char *fragment) {
  int i, found = -1;
  pthread_mutex_lock(&s->mu);
  for (i = 0; i < s->count && found < 0; ++i) {
    if (strstr(s->messages[i], fragment) != NULL) found = i;
  }
  pthread_mutex_unlock(&s->mu);
  return found;
}

static cw_server *start_server(cw_storage **s, cw_client **c, uint16_t *port) {
  char url[600];
  cw_server *srv = NULL;
  cw_client_options co = CW_CLIENT_OPTIONS_INIT;
  cw_server_options so = CW_SERVER_OPTIONS_INIT;
  cw_error err;
  t_db_url(url, sizeof url, "log");
  CHECK_OK(cw_storage_open(s, url, NULL, &err), &err);
  co.force_demo = 1;
  CHECK_OK(cw_client_new(c, *s, &co, &err), &err);
  CHECK_OK(cw_server_new(&srv, *c, &so, &err), &err);
  CHECK_OK(cw_server_start(srv, &err), &err);
  CHECK_OK(cw_server_port(port, srv, &err), &err);
  return srv;
}

static void test_records_reach_the_callback(void) {
  seen s;
  cw_storage *st = NULL;
  cw_client *c = NULL;
  cw_server *srv;
  uint16_t port = 0;
  char answer[8192];
  int i;
  memset(&s, 0, sizeof s);
  pthread_mutex_init(&s.mu, NULL);
  s.lengths_ok = 1;

  CHECK(cw_log_get_level() == CW_LOG_INFO); /* the default */
  CHECK_OK(cw_log_set_handler(CW_LOG_INFO, on_log, &s), NULL);
  srv = start_server(&st, &c, &port);

  /* A path the front door refuses is logged (info, "http") while handling the request. */
  CHECK(http(port, "GET", "/api//contacts", "X-Request-Id: c-test-1\r\n", NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 400);
  CHECK_HAS(answer, "X-Request-Id: c-test-1\r\n");
  i = find(&s, "refused a request path");
  CHECK(i >= 0);
  if (i >= 0) {
    CHECK(s.levels[i] == CW_LOG_INFO);
    CHECK_STR(s.components[i], "http");
    CHECK_STR(s.request_ids[i], "c-test-1");
    CHECK(s.versions[i] >= 1u);
    CHECK(s.times[i] > 1700000000000LL); /* milliseconds since 1970, after 2023 */
  }
  i = find(&s, "listening on"); /* not inside a request: no id */
  CHECK(i >= 0);
  if (i >= 0) CHECK_STR(s.request_ids[i], "");
  CHECK(s.lengths_ok);

  /* A higher threshold filters: no new info record. */
  CHECK_OK(cw_log_set_handler(CW_LOG_WARN, on_log, &s), NULL);
  CHECK(cw_log_get_level() == CW_LOG_WARN);
  {
    int before = s.count;
    CHECK(http(port, "GET", "/api//numbers", NULL, NULL, answer, sizeof answer) > 0);
    CHECK(status_of(answer) == 400);
    CHECK(s.count == before);
  }

  /* NULL: the default output again; the callback is never called after the call returns. */
  CHECK_OK(cw_log_set_handler(CW_LOG_INFO, NULL, NULL), NULL);
  {
    int before = s.count;
    CHECK(http(port, "GET", "/api//recordings", NULL, NULL, answer, sizeof answer) > 0);
    CHECK(s.count == before);
  }
  cw_server_free(srv);
  cw_client_free(c);
  cw_storage_free(st);
  pthread_mutex_destroy(&s.mu);
}

static void test_refusals(void) {
  seen s;
  cw_storage *st = NULL;
  cw_client *c = NULL;
  cw_server *srv;
  uint16_t port = 0;
  char answer[4096];
  memset(&s, 0, sizeof s);
  pthread_mutex_init(&s.mu, NULL);

  CHECK(cw_log_set_handler((cw_log_level)6, on_log, &s) == CW_EINVAL);
  CHECK(cw_log_set_handler((cw_log_level)-1, on_log, &s) == CW_EINVAL);
  CHECK(cw_log_get_level() == CW_LOG_INFO); /* nothing changed */

  /* From inside the callback: CW_ECONFLICT, and the callback stays. */
  s.reentry_rc = 1;
  CHECK_OK(cw_log_set_handler(CW_LOG_INFO, on_log_reentering, &s), NULL);
  srv = start_server(&st, &c, &port);
  CHECK(http(port, "GET", "/api//contacts", NULL, NULL, answer, sizeof answer) > 0);
  CHECK(s.count > 0);
  CHECK(s.reentry_rc == CW_ECONFLICT);
  CHECK_OK(cw_log_set_handler(CW_LOG_INFO, NULL, NULL), NULL);

  /* CW_LOG_OFF silences the library (no callback runs; nothing on stderr). */
  CHECK_OK(cw_log_set_handler(CW_LOG_OFF, on_log, &s), NULL);
  {
    int before = s.count;
    CHECK(http(port, "GET", "/api//contacts", NULL, NULL, answer, sizeof answer) > 0);
    CHECK(s.count == before);
  }
  CHECK_OK(cw_log_set_handler(CW_LOG_INFO, NULL, NULL), NULL);
  cw_server_free(srv);
  cw_client_free(c);
  cw_storage_free(st);
  pthread_mutex_destroy(&s.mu);
}

int main(void) {
  test_records_reach_the_callback();
  test_refusals();
  return finish();
}
