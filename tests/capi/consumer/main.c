/* Uses the installed header and library: prints a normalised number and the
   version, and fails when the library and header disagree. */
#include <callwire.h>
#include <stdio.h>

int main(void) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  if (cw_version_number() != CW_VERSION_NUMBER) return 2;
  if (cw_phone_normalize(&buf, "+1 (212) 555-1234", &err) != CW_OK) {
    fprintf(stderr, "%s\n", err.message);
    return 1;
  }
  printf("%s %s\n", buf.ptr, cw_version_string());
  cw_buf_dispose(&buf);
  return 0;
}
