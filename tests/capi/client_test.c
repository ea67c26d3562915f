/*
 * cw_client: demo calls through callbacks, every call control, unknown ids,
 * invalid numbers and JSON, subscriptions (unsubscribe then free the
 * userdata, unsubscribe from inside the callback, what a callback may call),
 * webhooks ingested from raw bytes (stored, duplicate, malformed, unsigned in
 * live mode), settings masking and mode, close (CW_ECLOSED afterwards) and
 * the free-twice pattern.
 *
 * Demo mode at demo_speed 50: calls are answered after ~40 ms. Waits poll
 * for events with a generous deadline; nothing asserts on durations.
 */
#include "harness.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/socket.h>

#define DEMO_SPEED 50.0
#define WAIT_MS 30000L
#define MAX_EVENTS 512

/* ---- an event recorder (the userdata of most subscriptions) ------------------- */

struct event {
  char type[16];
  char status[16];
  char call_id[48];
  int muted;
  int recording;
};

struct recorder {
  pthread_mutex_t mu;
  struct event events[MAX_EVENTS];
  int count;
  int overflow;
  int after_unsubscribe; /* set by the test once cw_client_unsubscribe returned */
  int violations;        /* callbacks that ran after that: must stay 0 */
  int concurrent;        /* callbacks running right now (one at a time per client) */
  int overlaps;
};

static void rec_init(struct recorder *r) {
  memset(r, 0, sizeof *r);
  pthread_mutex_init(&r->mu, NULL);
}
static void rec_destroy(struct recorder *r) { pthread_mutex_destroy(&r->mu); }

static void on_update(void *userdata, const char *type, const char *call_json, size_t len) {
  struct recorder *r = (struct recorder *)userdata;
  pthread_mutex_lock(&r->mu);
  if (r->after_unsubscribe) r->violations++;
  if (r->concurrent++ > 0) r->overlaps++;
  if (strlen(call_json) != len) r->violations++;
  if (r->count < MAX_EVENTS) {
    struct event *e = &r->events[r->count++];
    snprintf(e->type, sizeof e->type, "%s", type);
    t_json_str(call_json, "status", e->status, sizeof e->status);
    t_json_str(call_json, "call_id", e->call_id, sizeof e->call_id);
    e->muted = strstr(call_json, "\"muted\":true") != NULL;
    e->recording = strstr(call_json, "\"recording\":true") != NULL;
  } else {
    r->overflow = 1;
  }
  pthread_mutex_unlock(&r->mu);
  t_sleep_ms(1); /* widen the window in which an overlap would show */
  pthread_mutex_lock(&r->mu);
  r->concurrent--;
  pthread_mutex_unlock(&r->mu);
}

/* Index of the first event of call_id with that type (NULL: any) and status (NULL: any); -1 if none. */
static int rec_find(struct recorder *r, const char *call_id, const char *type, const char *status) {
  int i, found = -1;
  pthread_mutex_lock(&r->mu);
  for (i = 0; i < r->count && found < 0; i++) {
    const struct event *e = &r->events[i];
    if (strcmp(e->call_id, call_id) != 0) continue;
    if (type != NULL && strcmp(e->type, type) != 0) continue;
    if (status != NULL && strcmp(e->status, status) != 0) continue;
    found = i;
  }
  pthread_mutex_unlock(&r->mu);
  return found;
}

static int rec_count(struct recorder *r, const char *call_id, const char *type) {
  int i, n = 0;
  pthread_mutex_lock(&r->mu);
  for (i = 0; i < r->count; i++) {
    if (strcmp(r->events[i].call_id, call_id) == 0 && (type == NULL || strcmp(r->events[i].type, type) == 0)) n++;
  }
  pthread_mutex_unlock(&r->mu);
  return n;
}

static int rec_total(struct recorder *r) {
  int n;
  pthread_mutex_lock(&r->mu);
  n = r->count;
  pthread_mutex_unlock(&r->mu);
  return n;
}

/* Polls until the event arrived (1) or WAIT_MS passed (0). */
static int rec_wait(struct recorder *r, const char *call_id, const char *type, const char *status) {
  long waited = 0;
  while (rec_find(r, call_id, type, status) < 0) {
    if (waited >= WAIT_MS) return 0;
    t_sleep_ms(5);
    waited += 5;
  }
  return 1;
}

/* ---- fixtures -------------------------------------------------------------------------- */

static cw_storage *open_storage(const char *name, int with_number) {
  char url[600];
  cw_storage *s = NULL;
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  t_db_url(url, sizeof url, name);
  CHECK_OK(cw_storage_open(&s, url, NULL, &err), &err);
  if (with_number) CHECK_OK(cw_numbers_create(&buf, s, "{\"number\":\"+13125550100\",\"name\":\"Test line\"}", &err), &err);
  cw_buf_dispose(&buf);
  return s;
}

static cw_client *new_demo_client(cw_storage *s) {
  cw_client *c = NULL;
  cw_client_options opts = CW_CLIENT_OPTIONS_INIT;
  cw_error err;
  opts.force_demo = 1;
  opts.demo_speed = DEMO_SPEED;
  CHECK_OK(cw_client_new(&c, s, &opts, &err), &err);
  return c;
}

/* Dials and copies the call_id out. */
static int dial(cw_client *c, const char *to, const char *options_json, char *call_id, size_t size) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  int rc = cw_client_dial(&buf, c, to, NULL, options_json, &err);
  CHECK_OK(rc, &err);
  t_json_str(buf.ptr, "call_id", call_id, size);
  cw_buf_dispose(&buf);
  return rc;
}

/* Threads of this process (Linux: /proc/self/task). */
static int thread_count(void) {
  int n = 0;
  struct dirent *d;
  DIR *dir = opendir("/proc/self/task");
  if (dir == NULL) return -1;
  while ((d = readdir(dir)) != NULL) {
    if (d->d_name[0] != '.') n++;
  }
  closedir(dir);
  return n;
}

static int wait_thread_count(int expected) {
  long waited = 0;
  while (thread_count() != expected) {
    if (waited >= WAIT_MS) return 0;
    t_sleep_ms(5);
    waited += 5;
  }
  return 1;
}

/* ---- tests ---------------------------------------------------------------------------- */

static void test_new_and_free(void) {
  cw_storage *s = open_storage("client-new", 0);
  cw_client *c = (cw_client *)&s; /* garbage: reset to NULL on failure */
  cw_client_options opts = CW_CLIENT_OPTIONS_INIT;
  cw_error err;

  CHECK_RC(cw_client_new(NULL, s, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "out");
  CHECK_RC(cw_client_new(&c, NULL, NULL, &err), CW_EINVAL, &err);
  CHECK(c == NULL);
  CHECK_HAS(err.message, "storage");
  opts.version = 0;
  c = (cw_client *)&s;
  CHECK_RC(cw_client_new(&c, s, &opts, &err), CW_EVERSION, &err);
  CHECK(c == NULL);
  CHECK(err.code == CW_EVERSION && err.domain == CW_DOMAIN_SDK);
  opts.version = CW_CLIENT_OPTIONS_VERSION + 1;
  CHECK_RC(cw_client_new(&c, s, &opts, &err), CW_EVERSION, &err);
  opts.version = CW_CLIENT_OPTIONS_VERSION;
  opts.demo_speed = -2.0;
  CHECK_RC(cw_client_new(&c, s, &opts, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "demo_speed");
  CHECK(c == NULL);

  /* NULL options: the defaults (demo: no key anywhere). */
  CHECK_OK(cw_client_new(&c, s, NULL, &err), &err);
  CHECK(c != NULL);
  CHECK(cw_client_is_demo(c) == 1);
  CHECK(cw_client_is_demo(NULL) == CW_EINVAL);

  /* The storage handle may go first: the client keeps the database open. */
  cw_storage_free(s);
  s = NULL;
  {
    cw_buf buf = CW_BUF_INIT;
    CHECK_OK(cw_client_stats(&buf, c, &err), &err);
    CHECK_HAS(buf.ptr, "\"total_calls\":0");
    cw_buf_dispose(&buf);
  }

  /* The documented pattern: free, set to NULL, free again. */
  cw_client_free(c);
  c = NULL;
  cw_client_free(c);
  cw_client_free(NULL);
}

static void test_demo_call(void) {
  cw_storage *s = open_storage("client-call", 1);
  cw_client *c = new_demo_client(s);
  struct recorder rec;
  uint64_t sub = 0;
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char call_id[48], tmp[64];
  int created, ringing, active, completed, ended;

  rec_init(&rec);
  CHECK_OK(cw_client_subscribe(&sub, c, on_update, &rec, &err), &err);
  CHECK(sub != 0);

  CHECK_OK(cw_client_dial(&buf, c, "+44 20 7946 0958", NULL, NULL, &err), &err);
  t_json_str(buf.ptr, "call_id", call_id, sizeof call_id);
  CHECK(strlen(call_id) == 36);
  CHECK_HAS(buf.ptr, "\"status\":\"dialing\"");
  CHECK_HAS(buf.ptr, "\"to_number\":\"+442079460958\"");
  CHECK_HAS(buf.ptr, "\"from_number\":\"+13125550100\""); /* the default number */
  CHECK_HAS(buf.ptr, "\"demo\":true");

  CHECK(rec_wait(&rec, call_id, "call.updated", "active"));

  CHECK_OK(cw_client_get_call(&buf, c, call_id, &err), &err);
  CHECK_HAS(buf.ptr, "\"status\":\"active\"");
  CHECK_HAS(buf.ptr, "\"answered_at\":\"");
  CHECK_OK(cw_client_active_calls(&buf, c, &err), &err);
  CHECK_HAS(buf.ptr, call_id);
  CHECK(buf.ptr[0] == '[');

  /* call controls while active */
  CHECK_OK(cw_client_send_dtmf(&buf, c, call_id, "123#", &err), &err);
  CHECK_HAS(buf.ptr, call_id);
  CHECK_RC(cw_client_send_dtmf(&buf, c, call_id, "12x", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "digits");
  CHECK_OK(cw_client_set_muted(&buf, c, call_id, 1, &err), &err);
  CHECK_HAS(buf.ptr, "\"muted\":true");
  CHECK_OK(cw_client_set_on_hold(&buf, c, call_id, 1, &err), &err);
  CHECK_HAS(buf.ptr, "\"on_hold\":true");
  CHECK_OK(cw_client_set_on_hold(&buf, c, call_id, 0, &err), &err);
  CHECK_HAS(buf.ptr, "\"on_hold\":false");
  CHECK_OK(cw_client_set_muted(&buf, c, call_id, 0, &err), &err);
  CHECK_HAS(buf.ptr, "\"muted\":false");
  CHECK_OK(cw_client_start_recording(&buf, c, call_id, &err), &err);
  CHECK_HAS(buf.ptr, "\"recording\":true");
  CHECK_OK(cw_client_stop_recording(&buf, c, call_id, &err), &err);
  CHECK_HAS(buf.ptr, "\"recording\":false");
  CHECK_RC(cw_client_transfer(&buf, c, call_id, "not a number", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "to_number");

  /* recording pause and resume, speech and playback (the demo carrier simulates them) */
  CHECK_OK(cw_client_start_recording(&buf, c, call_id, &err), &err);
  CHECK_OK(cw_client_pause_recording(&buf, c, call_id, &err), &err);
  CHECK_HAS(buf.ptr, "\"recording\":true");
  CHECK_HAS(buf.ptr, "\"recording_paused\":true");
  CHECK_OK(cw_client_get_call(&buf, c, call_id, &err), &err);
  CHECK_HAS(buf.ptr, "\"recording_paused\":true");
  CHECK_OK(cw_client_resume_recording(&buf, c, call_id, &err), &err);
  CHECK_HAS(buf.ptr, "\"recording_paused\":false");
  CHECK_OK(cw_client_stop_recording(&buf, c, call_id, &err), &err);
  CHECK_OK(cw_client_speak(&buf, c, call_id, "Hello from C", NULL, &err), &err);
  CHECK_HAS(buf.ptr, call_id);
  CHECK_OK(cw_client_speak(&buf, c, call_id, "<speak>Bonjour</speak>",
                           "{\"voice\":\"Azure.fr-CA-SylvieNeural\",\"language\":\"fr-CA\",\"payload_type\":\"ssml\"}", &err),
           &err);
  CHECK_RC(cw_client_speak(&buf, c, call_id, "Bonjour", "{\"voice\":\"female\",\"language\":\"fr-CA\"}", &err), CW_EINVAL,
           &err);
  CHECK_STR(err.message,
            "language: the male and female voices (Telnyx's basic service level) speak en-US only; for fr-CA choose a "
            "provider voice, e.g. AWS.Polly.<VoiceId> or Azure.<VoiceId>");
  CHECK(buf.ptr == NULL); /* left empty on failure */
  CHECK_RC(cw_client_speak(&buf, c, call_id, "", NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "text: must not be empty");
  CHECK_RC(cw_client_speak(&buf, c, call_id, "Hi", "{\"voice\":7}", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "options_json.voice: expected a string");
  CHECK_RC(cw_client_speak(&buf, c, call_id, "Hi", "[1]", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "options_json must be a JSON object");
  CHECK_RC(cw_client_speak(&buf, c, call_id, "Hi", "{voice", &err), CW_EMALFORMED, &err);
  CHECK_OK(cw_client_start_playback(&buf, c, call_id, "https://example.com/voicemail.mp3", &err), &err);
  CHECK_RC(cw_client_start_playback(&buf, c, call_id, "voicemail.mp3", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "audio_url: must be the http:// or https:// URL");
  CHECK_OK(cw_client_stop_playback(&buf, c, call_id, &err), &err);

  /* the mute flag was published as an update */
  CHECK(rec_wait(&rec, call_id, "call.updated", NULL));

  CHECK_OK(cw_client_hangup(&buf, c, call_id, &err), &err);
  CHECK_HAS(buf.ptr, "\"status\":\"completed\"");
  CHECK(t_json_int(buf.ptr, "duration") >= 0);
  CHECK(rec_wait(&rec, call_id, "call.ended", "completed"));

  /* the progression, in order, through the callback */
  created = rec_find(&rec, call_id, "call.created", "dialing");
  ringing = rec_find(&rec, call_id, "call.updated", "ringing");
  active = rec_find(&rec, call_id, "call.updated", "active");
  completed = rec_find(&rec, call_id, "call.updated", "completed");
  ended = rec_find(&rec, call_id, "call.ended", "completed");
  CHECK(created == 0);
  CHECK(created < ringing && ringing < active && active < completed && completed < ended);
  CHECK(rec_count(&rec, call_id, "call.created") == 1);
  /* at least once: a recording saved after the hangup changes the ended call, which is sent again */
  CHECK(rec_count(&rec, call_id, "call.ended") >= 1);
  CHECK(rec.overlaps == 0);
  CHECK(rec.violations == 0);

  /* after the end */
  CHECK_RC(cw_client_send_dtmf(&buf, c, call_id, "1", &err), CW_ECONFLICT, &err);
  CHECK_HAS(err.message, "ended");
  CHECK_RC(cw_client_start_recording(&buf, c, call_id, &err), CW_ECONFLICT, &err);
  CHECK_RC(cw_client_pause_recording(&buf, c, call_id, &err), CW_ECONFLICT, &err);
  CHECK_RC(cw_client_speak(&buf, c, call_id, "Hello?", NULL, &err), CW_ECONFLICT, &err);
  CHECK_STR(err.message, "cannot speak: the call has ended (completed)");
  CHECK_RC(cw_client_start_playback(&buf, c, call_id, "https://example.com/a.wav", &err), CW_ECONFLICT, &err);
  CHECK_OK(cw_client_hangup(&buf, c, call_id, &err), &err); /* an ended call is returned as is */
  CHECK_HAS(buf.ptr, "\"status\":\"completed\"");
  CHECK_OK(cw_client_active_calls(&buf, c, &err), &err);
  CHECK_LACKS(buf.ptr, call_id);
  CHECK_OK(cw_client_stats(&buf, c, &err), &err);
  CHECK_HAS(buf.ptr, "\"total_calls\":1");
  CHECK_HAS(buf.ptr, "\"completed_calls\":1");

  /* the call in the logs, its stats and CSV */
  CHECK_OK(cw_logs_get(&buf, s, call_id, &err), &err);
  CHECK_HAS(buf.ptr, "\"status\":\"completed\"");
  CHECK_OK(cw_logs_list(&buf, s, "{\"search\":\"7946\",\"status\":\"completed\"}", &err), &err);
  CHECK_HAS(buf.ptr, call_id);
  CHECK_OK(cw_logs_list(&buf, s, "{\"status\":\"busy\"}", &err), &err);
  CHECK_STR(buf.ptr, "[]");
  CHECK_OK(cw_logs_list(&buf, s, "{\"to\":\"2000-01-01T00:00:00Z\"}", &err), &err);
  CHECK_STR(buf.ptr, "[]");
  CHECK_OK(cw_logs_stats(&buf, s, NULL, &err), &err);
  CHECK_HAS(buf.ptr, "\"total_calls\":1");
  CHECK_HAS(buf.ptr, "\"by_status\":{");
  CHECK_OK(cw_logs_export_csv(&buf, s, NULL, &err), &err);
  CHECK_HAS(buf.ptr, call_id);
  CHECK_HAS(buf.ptr, "+442079460958");
  CHECK(t_count(buf.ptr, "\r\n") == 2); /* header + one call */
  CHECK(buf.size == strlen(buf.ptr));

  /* the two recordings made while active (start/stop, then start/pause/resume/stop) */
  CHECK_OK(cw_recordings_list_for_call(&buf, s, call_id, &err), &err);
  CHECK(buf.ptr[0] == '[');
  {
    long waited = 0;
    while (t_count(buf.ptr, "\"id\":") < 2 && waited < WAIT_MS) { /* each saved some time after its stop */
      t_sleep_ms(5);
      waited += 5;
      CHECK_OK(cw_recordings_list_for_call(&buf, s, call_id, &err), &err);
    }
  }
  CHECK(t_count(buf.ptr, "\"id\":") == 2);
  {
    /* the second one: deleted here, the first below */
    const char *second = strstr(strstr(buf.ptr, "\"id\":") + 5, "\"id\":");
    char other[128];
    CHECK(second != NULL);
    t_json_str(second, "id", other, sizeof other);
    CHECK_OK(cw_recordings_remove(s, other, &err), &err);
    CHECK_OK(cw_recordings_list_for_call(&buf, s, call_id, &err), &err);
    CHECK(t_count(buf.ptr, "\"id\":") == 1);
  }
  t_json_str(buf.ptr, "id", tmp, sizeof tmp);
  {
    /* a demo recording never expires: refreshed, it is answered as stored */
    char url[512], fresh[512];
    t_json_str(buf.ptr, "url", url, sizeof url);
    CHECK(url[0] != '\0');
    CHECK_OK(cw_client_refresh_recording(&buf, c, tmp, &err), &err);
    t_json_str(buf.ptr, "url", fresh, sizeof fresh);
    CHECK_STR(fresh, url);
    CHECK_HAS(buf.ptr, tmp);
  }
  CHECK_OK(cw_recordings_list(&buf, s, NULL, &err), &err);
  CHECK_HAS(buf.ptr, tmp);
  CHECK_OK(cw_recordings_remove(s, tmp, &err), &err);
  CHECK_RC(cw_recordings_remove(s, tmp, &err), CW_ENOTFOUND, &err);
  CHECK_OK(cw_recordings_list_for_call(&buf, s, call_id, &err), &err);
  CHECK_STR(buf.ptr, "[]");

  CHECK_OK(cw_client_unsubscribe(c, sub, &err), &err);
  CHECK_RC(cw_client_unsubscribe(c, sub, &err), CW_ENOTFOUND, &err);
  cw_buf_dispose(&buf);
  cw_client_free(c);
  cw_storage_free(s);
  rec_destroy(&rec);
}

/* Busy, a transfer, and options_json. */
static void test_outcomes_and_options(void) {
  cw_storage *s = open_storage("client-outcomes", 1);
  cw_client *c = new_demo_client(s);
  struct recorder rec;
  uint64_t sub = 0;
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char busy[48], rec_call[48], xfer[48], contact[64];

  rec_init(&rec);
  CHECK_OK(cw_client_subscribe(&sub, c, on_update, &rec, &err), &err);

  dial(c, "+12125550000", NULL, busy, sizeof busy);
  CHECK(rec_wait(&rec, busy, "call.ended", "busy"));

  /* record from answer; contact_id given */
  CHECK_OK(cw_contacts_create(&buf, s, "{\"name\":\"Grace\",\"phone\":\"+12125550123\"}", &err), &err);
  t_json_str(buf.ptr, "id", contact, sizeof contact);
  {
    char options[256];
    snprintf(options, sizeof options,
             "{\"record\":true,\"answering_machine_detection\":false,\"connection_id\":\"conn-x\",\"contact_id\":\"%s\"}",
             contact);
    CHECK_OK(cw_client_dial(&buf, c, "+12125550123", "+13125550100", options, &err), &err);
  }
  t_json_str(buf.ptr, "call_id", rec_call, sizeof rec_call);
  CHECK_HAS(buf.ptr, "\"contact_name\":\"Grace\"");
  CHECK_HAS(buf.ptr, "\"connection_id\":\"conn-x\"");
  CHECK(rec_wait(&rec, rec_call, "call.updated", "active"));
  CHECK_OK(cw_client_hangup(&buf, c, rec_call, &err), &err);
  CHECK(rec_wait(&rec, rec_call, "call.ended", NULL));

  /* transfer of an active call */
  dial(c, "+12125550124", "{}", xfer, sizeof xfer);
  CHECK(rec_wait(&rec, xfer, "call.updated", "active"));
  CHECK_OK(cw_client_transfer(&buf, c, xfer, "+1 212 555 0125", &err), &err);
  CHECK_HAS(buf.ptr, xfer);
  CHECK_OK(cw_client_hangup(&buf, c, xfer, &err), &err);
  CHECK(rec_wait(&rec, xfer, "call.ended", NULL));

  /* options_json misuse */
  CHECK_RC(cw_client_dial(&buf, c, "+12125550123", NULL, "{\"record\":\"yes\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "options_json.record");
  CHECK_RC(cw_client_dial(&buf, c, "+12125550123", NULL, "{\"record\":", &err), CW_EMALFORMED, &err);
  CHECK_HAS(err.message, "options_json");
  CHECK_RC(cw_client_dial(&buf, c, "+12125550123", NULL, "[]", &err), CW_EINVAL, &err);
  /* invalid numbers */
  CHECK_RC(cw_client_dial(&buf, c, "+1 800 FLOWERS", NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "to_number");
  CHECK_HAS(err.message, "'F'");
  CHECK_RC(cw_client_dial(&buf, c, "+12125550123", "0", NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "from_number");
  CHECK_RC(cw_client_dial(&buf, c, "", NULL, NULL, &err), CW_EINVAL, &err);
  CHECK(buf.ptr == NULL);

  CHECK_OK(cw_client_unsubscribe(c, sub, &err), &err);
  cw_buf_dispose(&buf);
  cw_client_free(c);
  cw_storage_free(s);
  rec_destroy(&rec);
}

static void test_no_default_number(void) {
  cw_storage *s = open_storage("client-nonumber", 0);
  cw_client *c = new_demo_client(s);
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  CHECK_RC(cw_client_dial(&buf, c, "+12125550123", NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "from_number");
  CHECK_RC(cw_client_dial(&buf, c, "+12125550123", "", NULL, &err), CW_EINVAL, &err);
  /* an explicit from works without a default */
  CHECK_OK(cw_client_dial(&buf, c, "+12125550123", "+13125550100", NULL, &err), &err);
  cw_buf_dispose(&buf);
  cw_client_free(c);
  cw_storage_free(s);
}

static void test_unknown_ids_and_null_arguments(void) {
  cw_storage *s = open_storage("client-misuse", 1);
  cw_client *c = new_demo_client(s);
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  uint64_t id = 0;
  const char *nope = "00000000-0000-4000-8000-000000000000";

  CHECK_RC(cw_client_hangup(&buf, c, nope, &err), CW_ENOTFOUND, &err);
  CHECK(err.domain == CW_DOMAIN_SDK);
  CHECK_RC(cw_client_send_dtmf(&buf, c, nope, "1", &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_start_recording(&buf, c, nope, &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_stop_recording(&buf, c, nope, &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_refresh_recording(&buf, c, nope, &err), CW_ENOTFOUND, &err);
  CHECK_HAS(err.message, "not found");
  CHECK_RC(cw_client_transfer(&buf, c, nope, "+12125550123", &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_set_muted(&buf, c, nope, 1, &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_set_on_hold(&buf, c, nope, 1, &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_pause_recording(&buf, c, nope, &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_resume_recording(&buf, c, nope, &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_speak(&buf, c, nope, "Hello", NULL, &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_start_playback(&buf, c, nope, "https://example.com/a.wav", &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_stop_playback(&buf, c, nope, &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_get_call(&buf, c, nope, &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_client_unsubscribe(c, 987654321u, &err), CW_ENOTFOUND, &err);

  /* NULL handles */
  CHECK_RC(cw_client_dial(&buf, NULL, "+12125550123", NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "client must not be NULL");
  CHECK_RC(cw_client_hangup(&buf, NULL, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_send_dtmf(&buf, NULL, nope, "1", &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_start_recording(&buf, NULL, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_stop_recording(&buf, NULL, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_refresh_recording(&buf, NULL, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_transfer(&buf, NULL, nope, "+12125550123", &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_set_muted(&buf, NULL, nope, 1, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_set_on_hold(&buf, NULL, nope, 1, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_pause_recording(&buf, NULL, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_resume_recording(&buf, NULL, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_speak(&buf, NULL, nope, "Hello", NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_start_playback(&buf, NULL, nope, "https://example.com/a.wav", &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_stop_playback(&buf, NULL, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_get_call(&buf, NULL, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_active_calls(&buf, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_stats(&buf, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_settings(&buf, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_reload_settings(NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_subscribe(&id, NULL, on_update, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_unsubscribe(NULL, 1, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_close(NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_ingest_webhook(&buf, NULL, "{}", 2, NULL, 0, &err), CW_EINVAL, &err);

  /* NULL outputs */
  CHECK_RC(cw_client_dial(NULL, c, "+12125550123", NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "out must not be NULL");
  CHECK_RC(cw_client_hangup(NULL, c, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_send_dtmf(NULL, c, nope, "1", &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_start_recording(NULL, c, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_stop_recording(NULL, c, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_refresh_recording(NULL, c, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_transfer(NULL, c, nope, "+12125550123", &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_set_muted(NULL, c, nope, 1, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_set_on_hold(NULL, c, nope, 1, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_pause_recording(NULL, c, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_resume_recording(NULL, c, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_speak(NULL, c, nope, "Hello", NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_start_playback(NULL, c, nope, "https://example.com/a.wav", &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_stop_playback(NULL, c, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_get_call(NULL, c, nope, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_active_calls(NULL, c, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_stats(NULL, c, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_settings(NULL, c, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_subscribe(NULL, c, on_update, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "out_id");
  CHECK_RC(cw_client_ingest_webhook(NULL, c, "{}", 2, NULL, 0, &err), CW_EINVAL, &err);

  /* NULL inputs */
  CHECK_RC(cw_client_dial(&buf, c, NULL, NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "to must not be NULL");
  CHECK_RC(cw_client_hangup(&buf, c, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "call_id");
  CHECK_RC(cw_client_send_dtmf(&buf, c, nope, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "digits");
  CHECK_RC(cw_client_start_recording(&buf, c, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_stop_recording(&buf, c, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_refresh_recording(&buf, c, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "recording_id");
  CHECK_RC(cw_client_transfer(&buf, c, nope, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_transfer(&buf, c, NULL, "+12125550123", &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_set_muted(&buf, c, NULL, 1, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_set_on_hold(&buf, c, NULL, 1, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_pause_recording(&buf, c, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_resume_recording(&buf, c, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_speak(&buf, c, NULL, "Hello", NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_speak(&buf, c, nope, NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "text must not be NULL");
  CHECK_RC(cw_client_start_playback(&buf, c, NULL, "https://example.com/a.wav", &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_start_playback(&buf, c, nope, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "audio_url must not be NULL");
  CHECK_RC(cw_client_stop_playback(&buf, c, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_get_call(&buf, c, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_client_subscribe(&id, c, NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "callback");

  cw_buf_dispose(&buf);
  cw_client_free(c);
  cw_storage_free(s);
}

/* Unsubscribe while events are in flight, then free the userdata at once:
   the callback never runs again (AddressSanitizer would see a use after free). */
static void test_unsubscribe_then_free_userdata(void) {
  cw_storage *s = open_storage("client-unsub", 1);
  cw_client *c = new_demo_client(s);
  struct recorder watcher;
  uint64_t watch = 0;
  cw_error err;
  char ids[8][48];
  int round, i;

  rec_init(&watcher);
  CHECK_OK(cw_client_subscribe(&watch, c, on_update, &watcher, &err), &err);
  for (round = 0; round < 8; round++) {
    struct recorder *doomed = (struct recorder *)malloc(sizeof *doomed);
    struct recorder *flagged = (struct recorder *)malloc(sizeof *flagged);
    uint64_t a = 0, b = 0;
    rec_init(doomed);
    rec_init(flagged);
    CHECK_OK(cw_client_subscribe(&a, c, on_update, doomed, &err), &err);
    CHECK_OK(cw_client_subscribe(&b, c, on_update, flagged, &err), &err);
    dial(c, "+12125550150", NULL, ids[round], sizeof ids[round]);
    /* Let a few events through on some rounds, none on others. */
    for (i = 0; i < round && rec_total(doomed) < round; i++) t_sleep_ms(2);
    CHECK_OK(cw_client_unsubscribe(c, a, &err), &err);
    rec_destroy(doomed);
    memset(doomed, 0xdd, sizeof *doomed);
    free(doomed);
    CHECK_OK(cw_client_unsubscribe(c, b, &err), &err);
    pthread_mutex_lock(&flagged->mu);
    flagged->after_unsubscribe = 1;
    pthread_mutex_unlock(&flagged->mu);
    /* The call goes on and keeps publishing to the watcher. */
    CHECK(rec_wait(&watcher, ids[round], "call.updated", "active"));
    {
      cw_buf buf = CW_BUF_INIT;
      CHECK_OK(cw_client_hangup(&buf, c, ids[round], &err), &err);
      cw_buf_dispose(&buf);
    }
    CHECK(rec_wait(&watcher, ids[round], "call.ended", NULL));
    pthread_mutex_lock(&flagged->mu);
    CHECK(flagged->violations == 0);
    pthread_mutex_unlock(&flagged->mu);
    rec_destroy(flagged);
    free(flagged);
  }
  CHECK(watcher.overlaps == 0);
  CHECK_OK(cw_client_unsubscribe(c, watch, &err), &err);
  cw_client_free(c);
  cw_storage_free(s);
  rec_destroy(&watcher);
}

/* What a callback may call: other cw_client and storage functions, and
   cw_client_unsubscribe (its own id too); cw_client_close gives CW_ECONFLICT. */
struct reentrant {
  cw_client *client;
  cw_storage *storage;
  uint64_t self_id;
  int calls;
  int unsubscribe_rc;
  int get_rc;
  int stats_rc;
  int close_rc;
  int done;
  pthread_mutex_t mu;
};

static void on_event_reentrant(void *userdata, const char *type, const char *call_json, size_t len) {
  struct reentrant *r = (struct reentrant *)userdata;
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char call_id[48];
  (void)type;
  (void)len;
  t_json_str(call_json, "call_id", call_id, sizeof call_id);
  pthread_mutex_lock(&r->mu);
  r->calls++;
  pthread_mutex_unlock(&r->mu);
  r->get_rc = cw_client_get_call(&buf, r->client, call_id, &err);
  r->stats_rc = cw_logs_stats(&buf, r->storage, NULL, &err);
  r->close_rc = cw_client_close(r->client, &err);
  r->unsubscribe_rc = cw_client_unsubscribe(r->client, r->self_id, &err);
  cw_buf_dispose(&buf);
  pthread_mutex_lock(&r->mu);
  r->done = 1;
  pthread_mutex_unlock(&r->mu);
}

static void test_callback_reentry(void) {
  cw_storage *s = open_storage("client-reentry", 1);
  cw_client *c = new_demo_client(s);
  struct recorder watcher;
  struct reentrant r;
  uint64_t watch = 0;
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char id[48];
  int done = 0;
  long waited = 0;

  memset(&r, 0, sizeof r);
  pthread_mutex_init(&r.mu, NULL);
  r.client = c;
  r.storage = s;
  rec_init(&watcher);
  CHECK_OK(cw_client_subscribe(&r.self_id, c, on_event_reentrant, &r, &err), &err);
  CHECK_OK(cw_client_subscribe(&watch, c, on_update, &watcher, &err), &err);
  dial(c, "+12125550160", NULL, id, sizeof id);
  while (!done && waited < WAIT_MS) {
    pthread_mutex_lock(&r.mu);
    done = r.done;
    pthread_mutex_unlock(&r.mu);
    t_sleep_ms(5);
    waited += 5;
  }
  CHECK(done);
  CHECK_RC(r.get_rc, CW_OK, NULL);
  CHECK_RC(r.stats_rc, CW_OK, NULL);
  CHECK_RC(r.close_rc, CW_ECONFLICT, NULL);
  CHECK_RC(r.unsubscribe_rc, CW_OK, NULL);

  /* the call goes on; the self-unsubscribed callback ran exactly once */
  CHECK(rec_wait(&watcher, id, "call.updated", "active"));
  CHECK_OK(cw_client_hangup(&buf, c, id, &err), &err);
  CHECK(rec_wait(&watcher, id, "call.ended", NULL));
  pthread_mutex_lock(&r.mu);
  CHECK(r.calls == 1);
  pthread_mutex_unlock(&r.mu);
  CHECK_RC(cw_client_unsubscribe(c, r.self_id, &err), CW_ENOTFOUND, &err);
  CHECK_OK(cw_client_unsubscribe(c, watch, &err), &err);

  cw_buf_dispose(&buf);
  cw_client_free(c);
  cw_storage_free(s);
  rec_destroy(&watcher);
  pthread_mutex_destroy(&r.mu);
}

/* cw_client_free from inside a callback: the client is closed on another
   thread once the callback returned (no deadlock, no leak). */
struct freeing {
  cw_client *client;
  int freed;
  pthread_mutex_t mu;
};

static void on_event_free(void *userdata, const char *type, const char *call_json, size_t len) {
  struct freeing *f = (struct freeing *)userdata;
  (void)call_json;
  (void)len;
  if (strcmp(type, "call.updated") != 0) return;
  pthread_mutex_lock(&f->mu);
  if (f->client != NULL) {
    cw_client_free(f->client);
    f->client = NULL;
    f->freed = 1;
  }
  pthread_mutex_unlock(&f->mu);
}

static void test_free_from_callback(void) {
  cw_storage *s = open_storage("client-free-cb", 1);
  struct freeing f;
  uint64_t sub = 0;
  cw_error err;
  char id[48];
  int before = thread_count(), freed = 0;
  long waited = 0;

  memset(&f, 0, sizeof f);
  pthread_mutex_init(&f.mu, NULL);
  f.client = new_demo_client(s);
  CHECK(thread_count() > before);
  CHECK_OK(cw_client_subscribe(&sub, f.client, on_event_free, &f, &err), &err);
  dial(f.client, "+12125550170", NULL, id, sizeof id);
  while (!freed && waited < WAIT_MS) {
    pthread_mutex_lock(&f.mu);
    freed = f.freed;
    pthread_mutex_unlock(&f.mu);
    t_sleep_ms(5);
    waited += 5;
  }
  CHECK(freed);
  /* Every thread of the client is joined in the end. */
  CHECK(wait_thread_count(before));
  cw_storage_free(s);
  pthread_mutex_destroy(&f.mu);
}

static void test_ingest_webhook(void) {
  cw_storage *s = open_storage("client-ingest", 1);
  cw_client *c = new_demo_client(s);
  struct recorder rec;
  uint64_t sub = 0;
  cw_buf buf = CW_BUF_INIT, out = CW_BUF_INIT;
  cw_error err;
  char id[48], ccid[160], body[1024], tmp[64];
  const cw_header headers[] = {{"Content-Type", "application/json"}, {"User-Agent", "telnyx-webhooks"}};
  const cw_header bad_headers[] = {{NULL, "x"}};
  const char *malformed = "{\"data\": {\"event_type\": ";

  rec_init(&rec);
  CHECK_OK(cw_client_subscribe(&sub, c, on_update, &rec, &err), &err);
  dial(c, "+12125550180", NULL, id, sizeof id);
  CHECK(rec_wait(&rec, id, "call.updated", "active"));
  CHECK_OK(cw_client_get_call(&buf, c, id, &err), &err);
  t_json_str(buf.ptr, "call_control_id", ccid, sizeof ccid);
  CHECK(strlen(ccid) > 0);

  /* A DTMF event for the call, as Telnyx would post it. */
  snprintf(body, sizeof body,
           "{\"data\":{\"record_type\":\"event\",\"event_type\":\"call.dtmf.received\","
           "\"id\":\"c-api-dtmf-%s\",\"occurred_at\":\"2026-11-26T10:22:45.123Z\","
           "\"payload\":{\"call_control_id\":\"%s\",\"digit\":\"5\"}}}",
           id, ccid);
  CHECK_OK(cw_client_ingest_webhook(&out, c, body, strlen(body), headers, 2, &err), &err);
  CHECK(t_json_int(out.ptr, "http_status") == 200);
  CHECK_HAS(out.ptr, "\"duplicate\":false");
  CHECK_STR(t_json_str(out.ptr, "event_type", tmp, sizeof tmp), "call.dtmf.received");
  CHECK_STR(t_json_str(out.ptr, "call_id", tmp, sizeof tmp), id);

  /* the same again: acknowledged as a duplicate */
  CHECK_OK(cw_client_ingest_webhook(&out, c, body, strlen(body), headers, 2, &err), &err);
  CHECK(t_json_int(out.ptr, "http_status") == 200);
  CHECK_HAS(out.ptr, "\"duplicate\":true");

  /* malformed: CW_EMALFORMED, and out says 400 */
  CHECK_RC(cw_client_ingest_webhook(&out, c, malformed, strlen(malformed), headers, 2, &err), CW_EMALFORMED, &err);
  CHECK(out.ptr != NULL);
  CHECK(t_json_int(out.ptr, "http_status") == 400);
  CHECK(strlen(err.message) > 0);
  CHECK(err.domain == CW_DOMAIN_SDK);
  CHECK_RC(cw_client_ingest_webhook(&out, c, "", 0, NULL, 0, &err), CW_EMALFORMED, &err);
  CHECK(t_json_int(out.ptr, "http_status") == 400);
  /* body_len is what counts, not a NUL */
  CHECK_RC(cw_client_ingest_webhook(&out, c, body, 10, headers, 2, &err), CW_EMALFORMED, &err);

  /* argument misuse */
  CHECK_RC(cw_client_ingest_webhook(&out, c, NULL, 5, NULL, 0, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "body");
  CHECK(out.ptr == NULL);
  CHECK_RC(cw_client_ingest_webhook(&out, c, body, strlen(body), NULL, 1, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "headers");
  CHECK_RC(cw_client_ingest_webhook(&out, c, body, strlen(body), bad_headers, 1, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "headers[0].name");

  CHECK_OK(cw_client_hangup(&buf, c, id, &err), &err);
  CHECK(rec_wait(&rec, id, "call.ended", NULL));
  CHECK_OK(cw_client_unsubscribe(c, sub, &err), &err);
  cw_buf_dispose(&buf);
  cw_buf_dispose(&out);
  cw_client_free(c);
  cw_storage_free(s);
  rec_destroy(&rec);
}

/* Effective settings masked plus mode; saved settings switch the mode on reload;
   with a key, unsigned webhooks are refused. */
static void test_settings_and_mode(void) {
  cw_storage *s = open_storage("client-settings", 1);
  cw_client *c = NULL;
  cw_client_options opts = CW_CLIENT_OPTIONS_INIT;
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char tmp[64];
  const char *event = "{\"data\":{\"record_type\":\"event\",\"event_type\":\"call.initiated\",\"id\":\"unsigned-1\","
                      "\"occurred_at\":\"2026-11-26T10:22:45Z\",\"payload\":{\"call_control_id\":\"v3:x\"}}}";

  opts.api_key = "KEY0123456789SECRETabcd";
  opts.connection_id = "conn-9";
  opts.force_demo = 1;
  opts.demo_speed = DEMO_SPEED;
  CHECK_OK(cw_client_new(&c, s, &opts, &err), &err);
  CHECK(cw_client_is_demo(c) == 1);
  CHECK_OK(cw_client_settings(&buf, c, &err), &err);
  CHECK_STR(t_json_str(buf.ptr, "api_key", tmp, sizeof tmp), "****abcd");
  CHECK_LACKS(buf.ptr, "SECRET");
  CHECK_HAS(buf.ptr, "\"connection_id\":\"conn-9\"");
  CHECK_HAS(buf.ptr, "\"mode\":\"demo\"");
  CHECK_HAS(buf.ptr, "\"demo_mode\":true");
  /* A key is configured: webhooks must be signed, even in forced demo mode. */
  CHECK_RC(cw_client_ingest_webhook(&buf, c, event, strlen(event), NULL, 0, &err), CW_EUNAUTHORIZED, &err);
  CHECK(t_json_int(buf.ptr, "http_status") == 401);
  CHECK_HAS(err.message, "signature");
  cw_client_free(c);
  c = NULL;

  /* No key in the options; a key saved later switches to live on reload. */
  opts.api_key = NULL;
  opts.force_demo = 0;
  opts.api_base = "http://127.0.0.1:9/v2"; /* deployment configuration: never a saved setting */
  CHECK_OK(cw_client_new(&c, s, &opts, &err), &err);
  CHECK(cw_client_is_demo(c) == 1);
  CHECK_RC(cw_settings_save(&buf, s, "{\"api_base\":\"https://collect.evil.example/v2\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "TELNYX_API_BASE");
  CHECK_OK(cw_settings_save(&buf, s, "{\"api_key\":\"KEYlive0123456789wxyz\"}", &err), &err);
  CHECK(cw_client_is_demo(c) == 1); /* not before the reload */
  CHECK_OK(cw_client_reload_settings(c, &err), &err);
  CHECK(cw_client_is_demo(c) == 0);
  CHECK_OK(cw_client_settings(&buf, c, &err), &err);
  CHECK_HAS(buf.ptr, "\"mode\":\"live\"");
  CHECK_STR(t_json_str(buf.ptr, "api_key", tmp, sizeof tmp), "****wxyz");
  CHECK_HAS(buf.ptr, "\"api_base\":\"http://127.0.0.1:9/v2\"");
  /* and back */
  CHECK_OK(cw_settings_save(&buf, s, "{\"demo_mode\":true}", &err), &err);
  CHECK_OK(cw_client_reload_settings(c, &err), &err);
  CHECK(cw_client_is_demo(c) == 1);

  cw_buf_dispose(&buf);
  cw_client_free(c);
  cw_storage_free(s);
}

/* ---- a minimal fake Telnyx API: carrier errors through the C ABI ------------------------ */

/* Answers POST /v2/calls with a call, any send_dtmf or speak with 422 90018,
   DELETE of recording tx-capi-ok with 200 and of tx-capi-refused with 401 (as
   Telnyx does for a key it does not take), and anything else with 404; one
   request per connection. */
struct fake_telnyx {
  int fd;
  uint16_t port;
  pthread_t thread;
  pthread_mutex_t mu;
  int requests;
};

static void fake_answer(int fd, int status, const char *reason, const char *body) {
  char head[256];
  snprintf(head, sizeof head,
           "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %lu\r\nConnection: close\r\n\r\n",
           status, reason, (unsigned long)strlen(body));
  if (send(fd, head, strlen(head), MSG_NOSIGNAL) < 0) return;
  if (send(fd, body, strlen(body), MSG_NOSIGNAL) < 0) return;
}

static void *fake_serve(void *arg) {
  struct fake_telnyx *f = (struct fake_telnyx *)arg;
  for (;;) {
    char req[8192];
    size_t used = 0;
    ssize_t n;
    const char *end = NULL;
    long length = 0;
    int conn = accept(f->fd, NULL, NULL);
    if (conn < 0) break; /* the listening socket was shut down */
    /* the head, then Content-Length bytes of body */
    while (used + 1 < sizeof req && (n = recv(conn, req + used, sizeof req - 1 - used, 0)) > 0) {
      used += (size_t)n;
      req[used] = '\0';
      end = strstr(req, "\r\n\r\n");
      if (end != NULL) {
        const char *cl = strstr(req, "Content-Length:");
        if (cl == NULL) cl = strstr(req, "content-length:");
        length = cl != NULL ? strtol(cl + 15, NULL, 10) : 0;
        if ((long)(used - (size_t)(end + 4 - req)) >= length) break;
      }
    }
    req[used] = '\0';
    pthread_mutex_lock(&f->mu);
    f->requests++;
    pthread_mutex_unlock(&f->mu);
    if (strncmp(req, "POST /v2/calls ", 15) == 0) {
      fake_answer(conn, 200, "OK",
                  "{\"data\":{\"call_control_id\":\"v3:capi-fake\",\"call_leg_id\":\"leg-1\",\"call_session_id\":\"sess-1\","
                  "\"is_alive\":true,\"record_type\":\"call\"}}");
    } else if (strncmp(req, "DELETE /v2/recordings/tx-capi-ok ", 33) == 0) {
      fake_answer(conn, 200, "OK", "{\"data\":{\"id\":\"tx-capi-ok\",\"record_type\":\"recording\",\"status\":\"completed\"}}");
    } else if (strncmp(req, "DELETE /v2/recordings/tx-capi-refused ", 38) == 0) {
      fake_answer(conn, 401, "Unauthorized",
                  "{\"errors\":[{\"code\":\"401\",\"title\":\"Unauthorized\",\"detail\":\"Unauthorized\"}]}");
    } else if (strstr(req, "/actions/send_dtmf ") != NULL || strstr(req, "/actions/speak ") != NULL) {
      fake_answer(conn, 422, "Unprocessable Entity",
                  "{\"errors\":[{\"code\":\"90018\",\"title\":\"Call has already ended\","
                  "\"detail\":\"This call is no longer active and can't receive commands.\"}]}");
    } else {
      fake_answer(conn, 404, "Not Found", "{\"errors\":[{\"code\":\"10005\",\"title\":\"Resource not found\"}]}");
    }
    close(conn);
  }
  return NULL;
}

static int fake_start(struct fake_telnyx *f) {
  struct sockaddr_in addr;
  socklen_t len = sizeof addr;
  memset(f, 0, sizeof *f);
  pthread_mutex_init(&f->mu, NULL);
  f->fd = socket(AF_INET, SOCK_STREAM, 0);
  if (f->fd < 0) return -1;
  memset(&addr, 0, sizeof addr);
  addr.sin_family = AF_INET;
  addr.sin_port = 0;
  inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
  if (bind(f->fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(f->fd, 16) != 0 ||
      getsockname(f->fd, (struct sockaddr *)&addr, &len) != 0) {
    close(f->fd);
    return -1;
  }
  f->port = ntohs(addr.sin_port);
  return pthread_create(&f->thread, NULL, fake_serve, f);
}

static void fake_stop(struct fake_telnyx *f) {
  shutdown(f->fd, SHUT_RDWR);
  pthread_join(f->thread, NULL);
  close(f->fd);
  pthread_mutex_destroy(&f->mu);
}

/* A live client against the fake: the carrier's 422 reaches C as CW_ECARRIER in the
   carrier domain, with the HTTP status and the Telnyx code. */
static void test_carrier_errors(void) {
  cw_storage *s = open_storage("client-carrier", 1);
  cw_client *c = NULL;
  cw_client_options opts = CW_CLIENT_OPTIONS_INIT;
  struct fake_telnyx fake;
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char base[128], call_id[48];
  long waited = 0;

  if (fake_start(&fake) != 0) {
    CHECK(!"the fake Telnyx server could not start");
    cw_storage_free(s);
    return;
  }
  snprintf(base, sizeof base, "http://127.0.0.1:%u/v2", (unsigned)fake.port);
  opts.api_key = "KEYfake0123456789abcdef";
  opts.api_base = base;
  opts.connection_id = "conn-fake";
  opts.insecure_webhooks = 1; /* the call.answered below is posted unsigned */
  CHECK_OK(cw_client_new(&c, s, &opts, &err), &err);
  CHECK(cw_client_is_demo(c) == 0);

  dial(c, "+12125550199", NULL, call_id, sizeof call_id);
  /* wait for the carrier's answer to the dial (the call_control_id) */
  for (;;) {
    CHECK_OK(cw_client_get_call(&buf, c, call_id, &err), &err);
    if (buf.ptr == NULL || strstr(buf.ptr, "v3:capi-fake") != NULL || waited >= WAIT_MS) break;
    t_sleep_ms(5);
    waited += 5;
  }
  CHECK_HAS(buf.ptr, "\"call_control_id\":\"v3:capi-fake\"");
  CHECK_HAS(buf.ptr, "\"demo\":false");

  cw_error_clear(&err);
  CHECK_RC(cw_client_send_dtmf(&buf, c, call_id, "1", &err), CW_ECARRIER, &err);
  CHECK(err.code == CW_ECARRIER);
  CHECK(err.domain == CW_DOMAIN_CARRIER);
  CHECK(err.http_status == 422);
  CHECK_STR(err.carrier_code, "90018");
  CHECK_HAS(err.message, "Call has already ended");
  CHECK_STR(err.detail, "This call is no longer active and can't receive commands."); /* Telnyx errors[0].detail */
  CHECK(buf.ptr == NULL);

  /* a non-carrier error right after clears the carrier fields and the detail */
  CHECK_RC(cw_client_get_call(&buf, c, "unknown", &err), CW_ENOTFOUND, &err);
  CHECK(err.domain == CW_DOMAIN_SDK && err.http_status == 0 && err.carrier_code[0] == '\0');
  CHECK(err.detail[0] == '\0');

  /* Speech needs an answered call: the fake's call.answered (matched by its
     call_control_id), then the carrier's refusal of the speak reaches C whole. */
  {
    const char *answered =
        "{\"data\":{\"record_type\":\"event\",\"event_type\":\"call.answered\",\"id\":\"ev-capi-answered\","
        "\"occurred_at\":\"2026-01-01T00:00:01Z\",\"payload\":{\"call_control_id\":\"v3:capi-fake\"}}}";
    CHECK_RC(cw_client_speak(&buf, c, call_id, "Hello", NULL, &err), CW_ECONFLICT, &err); /* still dialing */
    CHECK_STR(err.message, "cannot speak: the call is not answered yet (dialing); it must be active");
    CHECK_OK(cw_client_ingest_webhook(&buf, c, answered, strlen(answered), NULL, 0, &err), &err);
    CHECK_HAS(buf.ptr, "\"http_status\":200");
    CHECK_OK(cw_client_get_call(&buf, c, call_id, &err), &err);
    CHECK_HAS(buf.ptr, "\"status\":\"active\"");
    CHECK_RC(cw_client_speak(&buf, c, call_id, "Hello", NULL, &err), CW_ECARRIER, &err);
    CHECK(err.domain == CW_DOMAIN_CARRIER);
    CHECK(err.http_status == 422);
    CHECK_STR(err.carrier_code, "90018");
    CHECK_HAS(err.message, "speak: ");
    CHECK(buf.ptr == NULL);
  }

  /* Deleting recordings of this live call: Telnyx's 200 deletes it here too;
     its 401 keeps it, marked with the sentence the error carries; an id
     Telnyx does not have (404) is deleted here. */
  {
    const char *ids[] = {"tx-capi-ok", "tx-capi-refused", "tx-capi-gone"};
    const char *refused = "Telnyx refused to delete the recording (HTTP 401 Unauthorized), so it is kept here; check the "
                          "Telnyx API key and delete it again.";
    char saved[512];
    size_t i;
    for (i = 0; i < 3; ++i) {
      snprintf(saved, sizeof saved,
               "{\"data\":{\"record_type\":\"event\",\"event_type\":\"call.recording.saved\",\"id\":\"ev-%s\","
               "\"occurred_at\":\"2026-01-01T00:00:09Z\",\"payload\":{\"call_control_id\":\"v3:capi-fake\","
               "\"recording_id\":\"%s\",\"format\":\"mp3\"}}}",
               ids[i], ids[i]);
      CHECK_OK(cw_client_ingest_webhook(&buf, c, saved, strlen(saved), NULL, 0, &err), &err);
    }
    CHECK_OK(cw_recordings_list_for_call(&buf, s, call_id, &err), &err);
    CHECK_HAS(buf.ptr, "\"id\":\"tx-capi-refused\"");
    CHECK_HAS(buf.ptr, "\"remote_delete_error\":\"\"");

    CHECK_OK(cw_client_remove_recording(c, "tx-capi-ok", &err), &err);
    CHECK_RC(cw_client_remove_recording(c, "tx-capi-refused", &err), CW_ECARRIER, &err);
    CHECK(err.domain == CW_DOMAIN_CARRIER);
    CHECK(err.http_status == 401);
    CHECK_STR(err.carrier_code, "401");
    CHECK_STR(err.message, refused);
    CHECK_OK(cw_client_remove_recording(c, "tx-capi-gone", &err), &err);
    CHECK_OK(cw_recordings_list_for_call(&buf, s, call_id, &err), &err);
    CHECK(strstr(buf.ptr, "tx-capi-ok") == NULL);
    CHECK(strstr(buf.ptr, "tx-capi-gone") == NULL);
    CHECK_HAS(buf.ptr, "\"id\":\"tx-capi-refused\"");
    CHECK(strstr(buf.ptr, refused) != NULL); /* the mark, with the sentence */

    CHECK_RC(cw_client_remove_recording(c, "no-such-recording", &err), CW_ENOTFOUND, &err);
    CHECK_RC(cw_client_remove_recording(c, NULL, &err), CW_EINVAL, &err);
    CHECK_RC(cw_client_remove_recording(NULL, "tx-capi-refused", &err), CW_EINVAL, &err);
  }

  cw_buf_dispose(&buf);
  cw_client_free(c);
  pthread_mutex_lock(&fake.mu);
  CHECK(fake.requests >= 2);
  pthread_mutex_unlock(&fake.mu);
  fake_stop(&fake);
  cw_storage_free(s);
}

/* After cw_client_close every call gives CW_ECLOSED; storage still works. */
static void test_close(void) {
  cw_storage *s = open_storage("client-close", 1);
  cw_client *c = new_demo_client(s);
  struct recorder rec;
  uint64_t sub = 0, id = 0;
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char call_id[48];
  cw_server *server = (cw_server *)&s;

  rec_init(&rec);
  CHECK_OK(cw_client_subscribe(&sub, c, on_update, &rec, &err), &err);
  dial(c, "+12125550190", NULL, call_id, sizeof call_id);
  CHECK(rec_wait(&rec, call_id, "call.updated", "active"));

  CHECK_OK(cw_client_close(c, &err), &err);
  CHECK_OK(cw_client_close(c, &err), &err); /* idempotent */

  CHECK_RC(cw_client_dial(&buf, c, "+12125550123", NULL, NULL, &err), CW_ECLOSED, &err);
  CHECK_HAS(err.message, "closed");
  CHECK(err.code == CW_ECLOSED && err.domain == CW_DOMAIN_SDK);
  CHECK_RC(cw_client_hangup(&buf, c, call_id, &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_send_dtmf(&buf, c, call_id, "1", &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_start_recording(&buf, c, call_id, &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_stop_recording(&buf, c, call_id, &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_transfer(&buf, c, call_id, "+12125550123", &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_set_muted(&buf, c, call_id, 1, &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_set_on_hold(&buf, c, call_id, 1, &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_get_call(&buf, c, call_id, &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_active_calls(&buf, c, &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_stats(&buf, c, &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_settings(&buf, c, &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_reload_settings(c, &err), CW_ECLOSED, &err);
  CHECK(cw_client_is_demo(c) == CW_ECLOSED);
  CHECK_RC(cw_client_subscribe(&id, c, on_update, &rec, &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_unsubscribe(c, sub, &err), CW_ECLOSED, &err);
  CHECK_RC(cw_client_ingest_webhook(&buf, c, "{}", 2, NULL, 0, &err), CW_ECLOSED, &err);
  CHECK(t_json_int(buf.ptr, "http_status") == 503);
  CHECK_RC(cw_server_new(&server, c, NULL, &err), CW_ECLOSED, &err);
  CHECK(server == NULL);

  /* The call stays in storage as it was (reconciled at the next start). */
  CHECK_OK(cw_logs_get(&buf, s, call_id, &err), &err);
  CHECK_HAS(buf.ptr, "\"status\":\"active\"");

  cw_buf_dispose(&buf);
  cw_client_free(c);
  c = NULL;
  cw_client_free(c);
  cw_storage_free(s);
  rec_destroy(&rec);
}

int main(void) {
  test_new_and_free();
  test_demo_call();
  test_outcomes_and_options();
  test_no_default_number();
  test_unknown_ids_and_null_arguments();
  test_unsubscribe_then_free_userdata();
  test_callback_reentry();
  test_free_from_callback();
  test_ingest_webhook();
  test_settings_and_mode();
  test_carrier_errors();
  test_close();
  return finish();
}
