/*
 * tour.c — the C snippets of docs/c-api.md, each a region of this program
 * (snippet-begin / snippet-end), run by the test suite in demo mode:
 *
 *   snippet-c-tour sqlite:///tmp/tour.db
 */
#define _POSIX_C_SOURCE 200809L

#include <callwire.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int failures = 0;

static void expect(int ok, const char *what) {
  if (!ok) {
    fprintf(stderr, "FAILED: %s\n", what);
    failures++;
  }
}

static void show_to_user(const char *text) { printf("to the user: %s\n", text); }

static void log_warning(const char *format, const char *message, const char *detail) {
  fputs("warning: ", stdout);
  printf(format, message, detail);
  fputc('\n', stdout);
}

/* Copies the string value of "field" out of compact JSON ({"field":"value"}). */
static void json_text(const char *json, const char *field, char *out, size_t size) {
  char key[64];
  const char *p;
  size_t n = 0;
  snprintf(key, sizeof key, "\"%s\":\"", field);
  out[0] = '\0';
  p = json ? strstr(json, key) : NULL;
  if (p == NULL) return;
  p += strlen(key);
  while (p[n] != '\0' && p[n] != '"' && n + 1 < size) n++;
  memcpy(out, p, n);
  out[n] = '\0';
}

static void sleep_ms(long ms) {
  struct timespec t;
  t.tv_sec = ms / 1000;
  t.tv_nsec = (ms % 1000) * 1000000L;
  nanosleep(&t, NULL);
}

/* Polls the call until it has `status` (at most 30 s). */
static int wait_for_status(cw_client *client, const char *call_id, const char *status) {
  cw_buf call = CW_BUF_INIT;
  char now[32] = "";
  int i;
  for (i = 0; i < 3000 && strcmp(now, status) != 0; i++) {
    if (cw_client_get_call(&call, client, call_id, NULL) == CW_OK) json_text(call.ptr, "status", now, sizeof now);
    if (strcmp(now, status) != 0) sleep_ms(10);
  }
  cw_buf_dispose(&call);
  return strcmp(now, status) == 0;
}

static void buffers(cw_storage *storage) {
  cw_error err;
  /* snippet-begin: buffers */
  cw_buf buf = CW_BUF_INIT;                  /* zero-initialise before first use */
  if (cw_contacts_list(&buf, storage, NULL, &err) == CW_OK) puts(buf.ptr);
  if (cw_numbers_list(&buf, storage, &err) == CW_OK) puts(buf.ptr);  /* the old data is disposed first */
  cw_buf_dispose(&buf);                      /* never free(buf.ptr) */
  /* snippet-end: buffers */
  expect(buf.ptr == NULL && buf.size == 0, "a disposed buf is empty");
}

static void errors(cw_client *client) {
  cw_buf buf = CW_BUF_INIT;
  /* snippet-begin: errors */
  cw_error err;                              /* owned by the caller: stack, heap, anywhere */
  int rc = cw_client_dial(&buf, client, "+1 800 FLOWERS", NULL, NULL, &err);
  if (rc != CW_OK)
    fprintf(stderr, "%s (domain %u): %s\n", cw_status_name(rc), err.domain, err.message);
    /* CW_EINVAL (domain 1): to_number: phone number contains 'F': only digits, … */
  /* snippet-end: errors */
  expect(rc == CW_EINVAL && err.domain == CW_DOMAIN_SDK, "dialing +1 800 FLOWERS is CW_EINVAL");
  expect(strstr(err.message, "to_number: phone number contains 'F'") == err.message, "the message names the field");
  cw_buf_dispose(&buf);
}

static void storage_errors(cw_storage *storage) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  int conflicts = 0;
  /* snippet-begin: storage-errors */
  if (cw_numbers_create(&buf, storage, "{\"number\":\"+13125550100\"}", &err) == CW_ECONFLICT) {
    show_to_user(err.message);               /* This number is already in your list. */
    log_warning("%s (%s)", err.message, err.detail);
  }
  /* snippet-end: storage-errors */
  conflicts += err.code == CW_ECONFLICT;
  expect(conflicts == 1 && strcmp(err.message, "This number is already in your list.") == 0,
         "adding the caller ID twice is CW_ECONFLICT with a plain sentence");
  cw_buf_dispose(&buf);
}

static cw_client *options(cw_storage *storage) {
  cw_client *client = NULL;
  cw_error err;
  /* snippet-begin: options */
  cw_client_options opts = CW_CLIENT_OPTIONS_INIT;            /* C */
  cw_client_options_init(&opts, CW_CLIENT_OPTIONS_VERSION);   /* FFI callers without macros */
  opts.force_demo = 1;
  opts.demo_speed = 50.0;
  /* snippet-end: options */
  expect(cw_client_new(&client, storage, &opts, &err) == CW_OK, "a demo client");
  return client;
}

static void webhook(cw_client *client) {
  cw_buf out = CW_BUF_INIT;
  cw_error err;
  const char *sig = "(the telnyx-signature-ed25519 header)", *ts = "1733580000";
  const char body[] =
      "{\"data\":{\"event_type\":\"call.initiated\",\"id\":\"5b8e8d0a-9f0e-4d4b-9d57-6f7a1f1c2a01\","
      "\"occurred_at\":\"2026-12-07T14:00:00.000000Z\",\"record_type\":\"event\",\"payload\":{"
      "\"call_control_id\":\"v3:snippet\",\"call_leg_id\":\"leg\",\"call_session_id\":\"session\","
      "\"connection_id\":\"1\",\"direction\":\"outgoing\",\"from\":\"+13125550100\",\"state\":\"bridging\","
      "\"to\":\"+12125551234\"}}}";
  size_t body_len = sizeof body - 1;
  /* snippet-begin: webhook */
  cw_header hdrs[] = {{"telnyx-signature-ed25519", sig}, {"telnyx-timestamp", ts}};
  int rc = cw_client_ingest_webhook(&out, client, body, body_len, hdrs, 2, &err);
  /* out: {"http_status":200,"duplicate":false,"event_type":"call.answered","call_id":"…","message":""} */
  /* snippet-end: webhook */
  printf("ingest: %s %s\n", cw_status_name(rc), out.ptr ? out.ptr : "");
  expect(rc == CW_OK && out.ptr && strstr(out.ptr, "\"http_status\":200"), "a demo client takes an unsigned webhook");
  cw_buf_dispose(&out);
}

static void users(cw_storage *storage) {
  cw_buf out = CW_BUF_INIT;
  cw_error err;
  char user_id[64];
  int rc;
  cw_users_create(&out, storage, "{\"email\":\"grace@example.org\",\"name\":\"Grace\",\"password\":\"correct horse\"}", &err);
  json_text(out.ptr, "id", user_id, sizeof user_id);
  /* snippet-begin: users */
  rc = cw_users_create(&out, storage,
                       "{\"email\":\"ada@example.org\",\"name\":\"Ada\",\"password\":\"correct horse\",\"role\":\"admin\"}", &err);
  /* CW_ECONFLICT "An account with this email already exists." — also for ADA@EXAMPLE.ORG */
  rc = cw_users_authenticate(&out, storage, "ADA@example.org", "correct horse", &err);
  if (rc == CW_OK && strcmp(out.ptr, "null") != 0) { /* signed in: out holds the User, last_login_at set */ }
  int match = 0;
  rc = cw_users_check_password(&match, storage, user_id, "correct horse", &err);  /* match: 1 or 0 */
  rc = cw_users_set_status(&out, storage, user_id, "away", &err);                 /* available or away */
  /* snippet-end: users */
  expect(rc == CW_OK && match == 1 && strstr(out.ptr, "\"status\":\"away\""), "the users' calls");
  rc = cw_users_create(&out, storage, "{\"email\":\"ADA@EXAMPLE.ORG\",\"name\":\"Ada\",\"password\":\"correct horse\"}", &err);
  expect(rc == CW_ECONFLICT && strcmp(err.message, "An account with this email already exists.") == 0,
         "an email is unique ignoring case");
  cw_buf_dispose(&out);
}

static void controls(cw_client *client) {
  cw_buf out = CW_BUF_INIT;
  cw_error err;
  char call_id[64];
  int rc;
  cw_client_dial(&out, client, "+1 (212) 555-1234", NULL, NULL, &err);
  json_text(out.ptr, "call_id", call_id, sizeof call_id);
  expect(wait_for_status(client, call_id, "active"), "the demo call is answered");
  cw_client_start_recording(&out, client, call_id, &err);
  /* snippet-begin: controls */
  rc = cw_client_speak(&out, client, call_id, "Please hold.", NULL, &err);          /* female, en-US */
  rc = cw_client_speak(&out, client, call_id, "<speak>Guten Tag</speak>",
                       "{\"voice\":\"AWS.Polly.Marlene-Neural\",\"language\":\"de-DE\",\"payload_type\":\"ssml\"}", &err);
  rc = cw_client_start_playback(&out, client, call_id, "https://example.com/voicemail.mp3", &err);
  rc = cw_client_stop_playback(&out, client, call_id, &err);
  rc = cw_client_pause_recording(&out, client, call_id, &err);   /* out: ..."recording_paused":true... */
  rc = cw_client_resume_recording(&out, client, call_id, &err);
  /* snippet-end: controls */
  expect(rc == CW_OK && strstr(out.ptr, "\"recording_paused\":false"), "speech, playback and a paused recording");
  rc = cw_client_hangup(&out, client, call_id, &err);
  expect(rc == CW_OK && strstr(out.ptr, "\"status\":\"completed\""), "the call is completed after the hangup");
  cw_buf_dispose(&out);
}

int main(int argc, char **argv) {
  cw_storage *storage = NULL;
  cw_client *client = NULL;
  cw_error err;
  cw_buf buf = CW_BUF_INIT;
  if (argc < 2) {
    fprintf(stderr, "usage: %s sqlite:///path/to/file.db\n", argv[0]);
    return 2;
  }
  if (cw_storage_open(&storage, argv[1], NULL, &err) != CW_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  cw_numbers_create(&buf, storage, "{\"number\":\"+13125550100\",\"is_default\":true}", NULL);  /* the caller ID */
  cw_buf_dispose(&buf);
  buffers(storage);
  storage_errors(storage);
  client = options(storage);
  if (client) {
    errors(client);
    webhook(client);
    controls(client);
  }
  users(storage);
  cw_client_free(client);
  cw_storage_free(storage);
  printf("%s\n", failures ? "FAILED" : "all snippets ran");
  return failures ? 1 : 0;
}
