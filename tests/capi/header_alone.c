/* callwire.h on its own: compiled by the capi.header_alone_* tests as C99 and
   as C++17 with -Wall -Wextra -pedantic -Werror. Included twice: the include
   guard works. */
#include "callwire.h"
#include "callwire.h"

/* The INIT macros are valid initialisers and the types are complete. */
static const cw_storage_options storage_defaults = CW_STORAGE_OPTIONS_INIT;
static const cw_client_options client_defaults = CW_CLIENT_OPTIONS_INIT;
static const cw_server_options server_defaults = CW_SERVER_OPTIONS_INIT;
static const cw_buf empty_buf = CW_BUF_INIT;

typedef char cw_version_number_is_computable[CW_VERSION_NUMBER == 100 ? 1 : -1];

int callwire_header_alone(void);
int callwire_header_alone(void) {
  cw_update_cb cb = 0;
  cw_header h = {"name", "value"};
  (void)cb;
  (void)h;
  return (int)storage_defaults.version + (int)client_defaults.version + (int)server_defaults.version +
         (empty_buf.ptr == 0 ? 0 : 1) + (int)sizeof(cw_version_number_is_computable) + (int)sizeof(cw_error);
}
