#include <callwire.h>
#include <stdio.h>

static void on_update(void *userdata, const char *type, const char *call_json, size_t len) {
  /* a client worker thread; one event at a time, in order */
  (void)userdata;
  (void)len;
  printf("%s %s\n", type, call_json);
}

int main(int argc, char **argv) {
  cw_error err;
  cw_buf call = CW_BUF_INIT;
  cw_storage *storage = NULL;
  cw_client *client = NULL;
  cw_client_options opts = CW_CLIENT_OPTIONS_INIT;
  uint64_t sub = 0;
  const char *url = argc > 1 ? argv[1] : "sqlite:///tmp/demo.db";

  if (cw_storage_open(&storage, url, NULL, &err) != CW_OK) return 1;
  cw_numbers_create(&call, storage, "{\"number\":\"+1 202 555 0100\"}", NULL); /* the caller ID; CW_ECONFLICT when already there */
  opts.force_demo = 1;
  if (cw_client_new(&client, storage, &opts, &err) != CW_OK) goto out;
  cw_client_subscribe(&sub, client, on_update, NULL, &err);
  if (cw_client_dial(&call, client, "+1 (212) 555-1234", NULL, NULL, &err) != CW_OK) {
    fprintf(stderr, "%s: %s\n", cw_status_name(err.code), err.message);
    goto out;
  }
  /* … wait for "active" from the callback, then cw_client_hangup(&call, client, call_id, &err) … */
out:
  if (sub) cw_client_unsubscribe(client, sub, NULL);  /* the callback is done: userdata may go */
  cw_client_free(client);
  client = NULL;
  cw_storage_free(storage);
  storage = NULL;
  cw_buf_dispose(&call);
  return 0;
}
