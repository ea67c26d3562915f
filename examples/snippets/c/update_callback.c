/*
 * update_callback.c — docs/c-api.md "Call-update callbacks" quotes the callback type
 * of callwire.h. Built as C11, where repeating a typedef with the same type is
 * allowed and a different one is an error: the quoted line cannot drift from
 * the header.
 */
#include <callwire.h>

#include <stdio.h>

/* snippet-begin: cw_update_cb */
typedef void (*cw_update_cb)(void *userdata, const char *type, const char *call_json, size_t call_json_len);
/* snippet-end: cw_update_cb */

static void on_update(void *userdata, const char *type, const char *call_json, size_t call_json_len) {
  (void)userdata;
  printf("%s %.*s\n", type, (int)call_json_len, call_json);
}

int main(void) {
  cw_update_cb cb = on_update;
  cb(NULL, "call.created", "{}", 2);
  return 0;
}
