/*
 * cw_server: start on port 0, the bound port, raw-socket HTTP requests from C
 * (/health, the REST API, webhooks, a static folder, JWT), stop and restart
 * rules, a port already in use, option misuse, and the lifetime rule: freeing
 * the client handle first keeps the client running for the server, with the
 * handle's callbacks stopped.
 */
#include "harness.h"
#include "http_client.h"

#include <pthread.h>
#include <sys/stat.h>

static cw_storage *open_storage(const char *name) {
  char url[600];
  cw_storage *s = NULL;
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  t_db_url(url, sizeof url, name);
  CHECK_OK(cw_storage_open(&s, url, NULL, &err), &err);
  CHECK_OK(cw_numbers_create(&buf, s, "{\"number\":\"+13125550100\"}", &err), &err);
  cw_buf_dispose(&buf);
  return s;
}

static cw_client *new_demo_client(cw_storage *s) {
  cw_client *c = NULL;
  cw_client_options opts = CW_CLIENT_OPTIONS_INIT;
  cw_error err;
  opts.force_demo = 1;
  opts.demo_speed = 50.0;
  CHECK_OK(cw_client_new(&c, s, &opts, &err), &err);
  return c;
}

static void test_start_port_health_stop(void) {
  cw_storage *s = open_storage("server-basic");
  cw_client *c = new_demo_client(s);
  cw_server *srv = NULL, *other = NULL;
  cw_server_options opts = CW_SERVER_OPTIONS_INIT;
  cw_error err;
  uint16_t port = 0, port2 = 1;
  char answer[8192];

  opts.port = 0;
  CHECK_OK(cw_server_new(&srv, c, &opts, &err), &err);
  CHECK(srv != NULL);
  CHECK_RC(cw_server_port(&port, srv, &err), CW_ECONFLICT, &err); /* not started */
  CHECK_HAS(err.message, "not started");
  CHECK_OK(cw_server_start(srv, &err), &err);
  CHECK_RC(cw_server_start(srv, &err), CW_ECONFLICT, &err); /* already started */
  CHECK_OK(cw_server_port(&port, srv, &err), &err);
  CHECK(port > 0);

  CHECK(http(port, "GET", "/health", NULL, NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 200);
  CHECK_HAS(answer, "\"status\":\"ok\"");
  CHECK_HAS(answer, "\"mode\":\"demo\"");
  CHECK_HAS(answer, "\"version\":\"" CW_VERSION_STRING "\"");

  /* the REST API and the webhook route over the same client and storage */
  CHECK(http(port, "POST", "/api/contacts", "Content-Type: application/json\r\n",
             "{\"name\":\"Ada\",\"phone\":\"+442079460958\"}", answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 201);
  {
    cw_buf buf = CW_BUF_INIT;
    CHECK_OK(cw_contacts_list(&buf, s, NULL, &err), &err);
    CHECK_HAS(buf.ptr, "\"name\":\"Ada\"");
    cw_buf_dispose(&buf);
  }
  CHECK(http(port, "POST", "/webhooks/call", "Content-Type: application/json\r\n", "{\"data\":", answer,
             sizeof answer) > 0);
  CHECK(status_of(answer) == 400);
  CHECK(http(port, "GET", "/metrics", NULL, NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 200);

  /* the same port twice: CW_EUNAVAILABLE */
  opts.port = port;
  CHECK_OK(cw_server_new(&other, c, &opts, &err), &err);
  CHECK_RC(cw_server_start(other, &err), CW_EUNAVAILABLE, &err);
  CHECK(strlen(err.message) > 0);
  cw_server_free(other);
  other = NULL;

  CHECK_OK(cw_server_stop(srv, &err), &err);
  CHECK_OK(cw_server_stop(srv, &err), &err); /* idempotent */
  CHECK(http(port, "GET", "/health", NULL, NULL, answer, sizeof answer) < 0); /* refused */
  CHECK_RC(cw_server_start(srv, &err), CW_ECLOSED, &err);                   /* no restart */
  CHECK_RC(cw_server_port(&port2, srv, &err), CW_ECONFLICT, &err);
  CHECK(port2 == 0);

  /* The documented pattern. */
  cw_server_free(srv);
  srv = NULL;
  cw_server_free(srv);
  cw_client_free(c);
  cw_storage_free(s);
}

static void test_options(void) {
  cw_storage *s = open_storage("server-options");
  cw_client *c = new_demo_client(s);
  cw_server *srv = (cw_server *)&s;
  cw_server_options opts = CW_SERVER_OPTIONS_INIT;
  cw_error err;
  uint16_t port = 0;
  char answer[8192], dir[512], file[600];
  FILE *f;

  /* misuse */
  CHECK_RC(cw_server_new(NULL, c, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_server_new(&srv, NULL, NULL, &err), CW_EINVAL, &err);
  CHECK(srv == NULL);
  CHECK_HAS(err.message, "client");
  opts.version = 0;
  CHECK_RC(cw_server_new(&srv, c, &opts, &err), CW_EVERSION, &err);
  opts.version = CW_SERVER_OPTIONS_VERSION + 1;
  CHECK_RC(cw_server_new(&srv, c, &opts, &err), CW_EVERSION, &err);
  CHECK(srv == NULL);
  CHECK_OK(cw_server_options_init(&opts, CW_SERVER_OPTIONS_VERSION), NULL);
  opts.host = "0.0.0.0"; /* public without a JWT secret */
  CHECK_RC(cw_server_new(&srv, c, &opts, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "JWT");
  CHECK_RC(cw_server_start(NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "server");
  CHECK_RC(cw_server_stop(NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_server_port(&port, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_server_port(NULL, srv, &err), CW_EINVAL, &err);
  cw_server_free(NULL);

  /* a static folder, CORS, a JWT secret on /api, no REST API routes for /metrics */
  snprintf(dir, sizeof dir, "%s/static-%ld", CAPI_TEST_SCRATCH_DIR, (long)getpid());
  mkdir(dir, 0755);
  snprintf(file, sizeof file, "%s/index.html", dir);
  f = fopen(file, "w");
  CHECK(f != NULL);
  if (f != NULL) {
    fputs("<!doctype html><title>softphone</title>hello from C", f);
    fclose(f);
  }
  CHECK_OK(cw_server_options_init(&opts, CW_SERVER_OPTIONS_VERSION), NULL);
  opts.static_dir = dir;
  opts.cors_origins = "http://localhost:5173, http://example.org";
  opts.jwt_secret = "a-test-secret-that-is-long-enough-0123456789";
  opts.threads = 1;
  opts.worker_threads = 1;
  opts.body_limit = 64;
  CHECK_OK(cw_server_new(&srv, c, &opts, &err), &err);
  CHECK_OK(cw_server_start(srv, &err), &err);
  CHECK_OK(cw_server_port(&port, srv, &err), &err);
  CHECK(http(port, "GET", "/", NULL, NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 200);
  CHECK_HAS(answer, "hello from C");
  CHECK(http(port, "GET", "/api/contacts", "Origin: http://example.org\r\n", NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 401); /* no bearer token */
  CHECK_HAS(answer, "http://example.org");
  CHECK(http(port, "POST", "/webhooks/call", NULL,
             "{\"data\":{\"event_type\":\"call.initiated\",\"id\":\"0123456789012345678901234567890123456789\"}}", answer,
             sizeof answer) > 0);
  CHECK(status_of(answer) == 413); /* over body_limit */
  cw_server_free(srv); /* stops it */
  srv = NULL;

  /* allowed_hosts and metrics_token (version 2) */
  CHECK_OK(cw_server_options_init(&opts, CW_SERVER_OPTIONS_VERSION), NULL);
  opts.allowed_hosts = "calls.example.com, .corp.example";
  opts.metrics_token = "metrics-token-0123456789";
  CHECK_OK(cw_server_new(&srv, c, &opts, &err), &err);
  CHECK_OK(cw_server_start(srv, &err), &err);
  CHECK_OK(cw_server_port(&port, srv, &err), &err);
  CHECK(http(port, "GET", "/health", "Host: calls.example.com\r\n", NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 200);
  CHECK(http(port, "GET", "/health", "Host: a.corp.example:8000\r\n", NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 200);
  CHECK(http(port, "GET", "/health", "Host: rebind.evil.example\r\n", NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 421);
  CHECK(http(port, "GET", "/metrics", NULL, NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 401);
  CHECK(http(port, "GET", "/metrics", "Authorization: Bearer metrics-token-0123456789\r\n", NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 200);
  cw_server_free(srv);
  srv = NULL;

  /* A version-1 struct ends before the version-2 fields: init writes none of them. */
  {
    unsigned char raw[sizeof(cw_server_options)];
    const size_t v1_size = offsetof(cw_server_options, allowed_hosts);
    size_t i;
    int untouched = 1;
    memset(raw, 0xAB, sizeof raw);
    CHECK_OK(cw_server_options_init((cw_server_options *)(void *)raw, 1), NULL);
    for (i = v1_size; i < sizeof raw; ++i) untouched = untouched && raw[i] == 0xAB;
    CHECK(untouched);
  }

  /* rest_api = 0: no /health */
  CHECK_OK(cw_server_options_init(&opts, CW_SERVER_OPTIONS_VERSION), NULL);
  opts.rest_api = 0;
  CHECK_OK(cw_server_new(&srv, c, &opts, &err), &err);
  CHECK_OK(cw_server_start(srv, &err), &err);
  CHECK_OK(cw_server_port(&port, srv, &err), &err);
  CHECK(http(port, "GET", "/health", NULL, NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 404);
  cw_server_free(srv);

  remove(file);
  rmdir(dir);
  cw_client_free(c);
  cw_storage_free(s);
}

/* ---- lifetime ------------------------------------------------------------------------ */

struct counter {
  pthread_mutex_t mu;
  int events;
  int after_free;
};

static void on_event(void *userdata, const char *type, const char *call_json, size_t len) {
  struct counter *c = (struct counter *)userdata;
  (void)type;
  (void)call_json;
  (void)len;
  pthread_mutex_lock(&c->mu);
  c->events++;
  pthread_mutex_unlock(&c->mu);
}

static void test_client_freed_before_server(void) {
  cw_storage *s = open_storage("server-lifetime");
  cw_client *c = new_demo_client(s);
  cw_server *srv = NULL;
  struct counter counter;
  uint64_t sub = 0;
  cw_error err;
  uint16_t port = 0;
  char answer[8192], call_id[48];
  long waited = 0;
  int events_at_free;

  memset(&counter, 0, sizeof counter);
  pthread_mutex_init(&counter.mu, NULL);
  CHECK_OK(cw_client_subscribe(&sub, c, on_event, &counter, &err), &err);
  CHECK_OK(cw_server_new(&srv, c, NULL, &err), &err);
  CHECK_OK(cw_server_start(srv, &err), &err);
  CHECK_OK(cw_server_port(&port, srv, &err), &err);

  /* Free the client handle (and its storage handle) first: the server keeps the client. */
  pthread_mutex_lock(&counter.mu);
  events_at_free = counter.events;
  pthread_mutex_unlock(&counter.mu);
  cw_client_free(c);
  c = NULL;
  cw_storage_free(s);
  s = NULL;

  CHECK(http(port, "GET", "/health", NULL, NULL, answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 200);
  CHECK_HAS(answer, "\"status\":\"ok\"");

  /* A call through the REST API: the client runs; the freed handle's callback does not. */
  CHECK(http(port, "POST", "/api/telnyx/dial", "Content-Type: application/json\r\n", "{\"to_number\":\"+12125550123\"}",
             answer, sizeof answer) > 0);
  CHECK(status_of(answer) == 200);
  {
    const char *body = strstr(answer, "\r\n\r\n");
    t_json_str(body, "call_id", call_id, sizeof call_id);
  }
  CHECK(strlen(call_id) == 36);
  for (;;) {
    char path[128];
    snprintf(path, sizeof path, "/api/call-status/status/%s", call_id);
    http(port, "GET", path, NULL, NULL, answer, sizeof answer);
    if (strstr(answer, "\"status\":\"active\"") != NULL || waited >= 30000) break;
    t_sleep_ms(5);
    waited += 5;
  }
  CHECK_HAS(answer, "\"status\":\"active\"");
  pthread_mutex_lock(&counter.mu);
  CHECK(counter.events == events_at_free);
  pthread_mutex_unlock(&counter.mu);

  cw_server_free(srv); /* the last owner: the client closes here */
  pthread_mutex_destroy(&counter.mu);
}

/* A server of a client closed afterwards does not start. */
static void test_closed_client(void) {
  cw_storage *s = open_storage("server-closed");
  cw_client *c = new_demo_client(s);
  cw_server *srv = NULL;
  cw_error err;
  CHECK_OK(cw_server_new(&srv, c, NULL, &err), &err);
  CHECK_OK(cw_client_close(c, &err), &err);
  CHECK_RC(cw_server_start(srv, &err), CW_ECLOSED, &err);
  CHECK_OK(cw_server_stop(srv, &err), &err);
  cw_server_free(srv);
  cw_client_free(c);
  cw_storage_free(s);
}

int main(void) {
  test_start_port_health_stop();
  test_options();
  test_client_freed_before_server();
  test_closed_client();
  return finish();
}
