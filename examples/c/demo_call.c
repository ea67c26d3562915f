/*
 * demo_call.c — places one demo call through the C ABI and prints its
 * progression from the event callback, then hangs up.
 *
 *   callwire-demo-call-c [number] [--db path.db] [--fast]
 *
 * Demo mode (no Telnyx key): the simulator answers after about two seconds
 * (--fast: fifty times faster). Numbers ending 0000 are busy, 0001 ring out,
 * 0002 are rejected (docs/demo-mode.md). Exits 0 when the call ended.
 *
 * Build: cc -std=c99 demo_call.c $(pkg-config --cflags --libs callwire_c) -lpthread
 */
#define _POSIX_C_SOURCE 200809L

#include <callwire.h>

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* What the callback shares with main: the latest status of our call. */
struct progress {
  pthread_mutex_t mu;
  pthread_cond_t changed;
  char status[32];
  int ended;
};

/* Copies the string value of "field" out of compact JSON ({"field":"value"}). */
static void json_text(const char *json, const char *field, char *out, size_t size) {
  char key[64];
  const char *p;
  size_t n = 0;
  snprintf(key, sizeof key, "\"%s\":\"", field);
  out[0] = '\0';
  p = strstr(json, key);
  if (p == NULL) return;
  p += strlen(key);
  while (p[n] != '\0' && p[n] != '"' && n + 1 < size) n++;
  memcpy(out, p, n);
  out[n] = '\0';
}

/* Called on one of the client's worker threads, one event at a time, in order. */
static void on_update(void *userdata, const char *type, const char *call_json, size_t call_json_len) {
  struct progress *pr = (struct progress *)userdata;
  char status[32];
  (void)call_json_len;
  json_text(call_json, "status", status, sizeof status);
  printf("  %-13s %s\n", type, status);
  fflush(stdout);
  pthread_mutex_lock(&pr->mu);
  snprintf(pr->status, sizeof pr->status, "%s", status);
  if (strcmp(type, "call.ended") == 0) pr->ended = 1;
  pthread_cond_broadcast(&pr->changed);
  pthread_mutex_unlock(&pr->mu);
}

/* Waits until done(pr) holds; 0 when `ms` milliseconds passed first. */
static int wait_for(struct progress *pr, int (*done)(const struct progress *), long ms) {
  struct timespec deadline;
  int ok = 1;
  clock_gettime(CLOCK_REALTIME, &deadline);
  deadline.tv_sec += ms / 1000;
  deadline.tv_nsec += (ms % 1000) * 1000000L;
  if (deadline.tv_nsec >= 1000000000L) {
    deadline.tv_sec += 1;
    deadline.tv_nsec -= 1000000000L;
  }
  pthread_mutex_lock(&pr->mu);
  while (!done(pr)) {
    if (pthread_cond_timedwait(&pr->changed, &pr->mu, &deadline) == ETIMEDOUT) {
      ok = 0;
      break;
    }
  }
  pthread_mutex_unlock(&pr->mu);
  return ok;
}
static int answered_or_ended(const struct progress *pr) { return pr->ended || strcmp(pr->status, "active") == 0; }
static int ended(const struct progress *pr) { return pr->ended; }

static int fail(const char *what, int code, const cw_error *err) {
  fprintf(stderr, "%s: %s: %s\n", what, cw_status_name(code), err->message);
  return 1;
}

int main(int argc, char **argv) {
  const char *number = "+1 (212) 555-1234";
  const char *db = "demo-call-c.db";
  int fast = 0, i, rc, status = 1;
  char url[1024], call_id[64], final_status[32];
  cw_error err = {0, 0, 0, "", "", ""};
  cw_buf buf = CW_BUF_INIT;
  cw_storage *storage = NULL;
  cw_client *client = NULL;
  cw_client_options opts = CW_CLIENT_OPTIONS_INIT;
  uint64_t sub = 0;
  struct progress pr;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) db = argv[++i];
    else if (strcmp(argv[i], "--fast") == 0) fast = 1;
    else number = argv[i];
  }
  pthread_mutex_init(&pr.mu, NULL);
  pthread_cond_init(&pr.changed, NULL);
  pr.status[0] = '\0';
  pr.ended = 0;

  printf("callwire %s (header %s)\n", cw_version_string(), CW_VERSION_STRING);
  /* sqlite:///abs/path.db or sqlite:relative/path.db */
  snprintf(url, sizeof url, db[0] == '/' ? "sqlite://%s" : "sqlite:%s", db);
  if ((rc = cw_storage_open(&storage, url, NULL, &err)) != CW_OK) return fail("cw_storage_open", rc, &err);

  /* A caller-ID number to dial from (the first one added is the default). */
  if ((rc = cw_numbers_list(&buf, storage, &err)) != CW_OK) { fail("cw_numbers_list", rc, &err); goto done; }
  if (strcmp(buf.ptr, "[]") == 0) {
    rc = cw_numbers_create(&buf, storage, "{\"number\": \"+1 202 555 0100\", \"name\": \"Demo line\"}", &err);
    if (rc != CW_OK) { fail("cw_numbers_create", rc, &err); goto done; }
  }

  opts.force_demo = 1;
  opts.demo_speed = fast ? 50.0 : 1.0;
  if ((rc = cw_client_new(&client, storage, &opts, &err)) != CW_OK) { fail("cw_client_new", rc, &err); goto done; }
  if ((rc = cw_client_subscribe(&sub, client, on_update, &pr, &err)) != CW_OK) { fail("cw_client_subscribe", rc, &err); goto done; }

  printf("dialing %s\n", number);
  fflush(stdout);
  rc = cw_client_dial(&buf, client, number, NULL, NULL, &err);
  if (rc != CW_OK) {
    printf("cannot dial: %s\n", err.message);
    goto done;
  }
  json_text(buf.ptr, "call_id", call_id, sizeof call_id);

  /* The simulator is never this slow: 60 s means something is broken. */
  if (!wait_for(&pr, answered_or_ended, 60000)) { fprintf(stderr, "the call made no progress\n"); goto done; }
  /* Talk for three (simulated) seconds unless the far end hangs up first, then hang up. */
  if (!wait_for(&pr, ended, fast ? 3000 / 50 : 3000)) {
    printf("hanging up\n");
    fflush(stdout);
    rc = cw_client_hangup(&buf, client, call_id, &err);
    if (rc != CW_OK) { fail("cw_client_hangup", rc, &err); goto done; }
    if (!wait_for(&pr, ended, 60000)) { fprintf(stderr, "the call did not end\n"); goto done; }
  }
  if ((rc = cw_client_get_call(&buf, client, call_id, &err)) != CW_OK) { fail("cw_client_get_call", rc, &err); goto done; }
  json_text(buf.ptr, "status", final_status, sizeof final_status);
  {
    const char *d = strstr(buf.ptr, "\"duration\":");
    printf("%s  duration %ld s\n", final_status, d != NULL ? strtol(d + 11, NULL, 10) : 0L);
  }
  status = 0;

done:
  /* After unsubscribe returns the callback is not running: &pr may go away. */
  if (sub != 0) cw_client_unsubscribe(client, sub, NULL);
  cw_client_free(client);
  client = NULL;
  cw_storage_free(storage);
  storage = NULL;
  cw_buf_dispose(&buf);
  pthread_cond_destroy(&pr.changed);
  pthread_mutex_destroy(&pr.mu);
  return status;
}
