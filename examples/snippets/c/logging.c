/*
 * logging.c — docs/c-api.md "Logging": the library's records through
 * cw_log_set_handler. The handler writes to a temporary file; the program
 * fails unless the record a starting server makes ("listening on …", at
 * info) reached it, and none arrived once the default was back.
 */
#include <callwire.h>

#include <stdio.h>
#include <string.h>

/* snippet-begin: handler */
static void on_log(void *user_data, const cw_log_record *r) {
  /* On the thread that logged: queue it if your logging may block. */
  fprintf(user_data, "[%s] %s%s%s\n", r->component, r->message, r->request_id[0] ? " id=" : "", r->request_id);
}
/* snippet-end: handler */

int main(int argc, char **argv) {
  cw_storage *storage = NULL;
  cw_client *client = NULL;
  cw_server *server = NULL;
  cw_client_options opts = CW_CLIENT_OPTIONS_INIT;
  cw_error err;
  FILE *log = tmpfile();
  char line[512];
  int listening = 0;
  if (argc < 2 || log == NULL) {
    fprintf(stderr, "usage: %s sqlite:///path/to/file.db\n", argv[0]);
    return 2;
  }
  opts.force_demo = 1;
  if (cw_storage_open(&storage, argv[1], NULL, &err) != CW_OK || cw_client_new(&client, storage, &opts, &err) != CW_OK ||
      cw_server_new(&server, client, NULL, &err) != CW_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  {
    /* snippet-begin: set */
    cw_log_set_handler(CW_LOG_DEBUG, on_log, log);     /* debug and above, to on_log */
    int started = cw_server_start(server, &err);        /* logs "listening on 127.0.0.1:…" at info */
    cw_server_stop(server, &err);
    cw_log_set_handler(CW_LOG_WARN, NULL, NULL);       /* the default lines again, warnings and errors only */
    cw_log_set_handler(CW_LOG_OFF, NULL, NULL);        /* nothing */
    /* snippet-end: set */
    if (started != CW_OK) {
      fprintf(stderr, "%s\n", err.message);
      return 1;
    }
  }
  cw_server_free(server);
  cw_client_free(client);
  cw_storage_free(storage);
  rewind(log);
  while (fgets(line, sizeof line, log) != NULL) {
    fputs(line, stdout);
    if (strstr(line, "] listening on ") != NULL) listening = 1;
  }
  if (!listening) {
    fprintf(stderr, "the handler got no \"listening on\" record\n");
    return 1;
  }
  printf("logging: ok\n");
  return 0;
}
