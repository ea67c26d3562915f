/*
 * Versions, status names, cw_error, cw_buf, phone numbers and the option
 * structs (init functions, INIT macros, wrong versions).
 */
#include "harness.h"

static void test_versions(void) {
  char expected[32];
  CHECK(cw_version_number() == CW_VERSION_NUMBER);
  /* The header's version is the project's, project(callwire VERSION …), which the build passes here. */
  CHECK_STR(CW_VERSION_STRING, CALLWIRE_PROJECT_VERSION);
  CHECK_STR(cw_version_string(), CW_VERSION_STRING);
  snprintf(expected, sizeof expected, "%d.%d.%d", CW_VERSION_MAJOR, CW_VERSION_MINOR, CW_VERSION_PATCH);
  CHECK_STR(cw_version_string(), expected);
  CHECK(CW_ABI_VERSION == 3);
}

static void test_status_names(void) {
  /* The codes are part of the ABI: never renumbered. */
  CHECK(CW_OK == 0 && CW_EINVAL == -1 && CW_ENOTFOUND == -2 && CW_ECONFLICT == -3 && CW_EUNAUTHORIZED == -4);
  CHECK(CW_ETOOLARGE == -5 && CW_ERATELIMITED == -6 && CW_ECARRIER == -7 && CW_EUNAVAILABLE == -8);
  CHECK(CW_ESTORAGE == -9 && CW_ETIMEOUT == -10 && CW_ETLS == -11 && CW_ECLOSED == -12 && CW_EINTERNAL == -13);
  CHECK(CW_EMALFORMED == -14 && CW_EVERSION == -15 && CW_ENOMEM == -16 && CW_EFORBIDDEN == -17);
  CHECK_STR(cw_status_name(CW_OK), "CW_OK");
  CHECK_STR(cw_status_name(CW_EINVAL), "CW_EINVAL");
  CHECK_STR(cw_status_name(CW_ENOTFOUND), "CW_ENOTFOUND");
  CHECK_STR(cw_status_name(CW_ECONFLICT), "CW_ECONFLICT");
  CHECK_STR(cw_status_name(CW_EUNAUTHORIZED), "CW_EUNAUTHORIZED");
  CHECK_STR(cw_status_name(CW_ETOOLARGE), "CW_ETOOLARGE");
  CHECK_STR(cw_status_name(CW_ERATELIMITED), "CW_ERATELIMITED");
  CHECK_STR(cw_status_name(CW_ECARRIER), "CW_ECARRIER");
  CHECK_STR(cw_status_name(CW_EUNAVAILABLE), "CW_EUNAVAILABLE");
  CHECK_STR(cw_status_name(CW_ESTORAGE), "CW_ESTORAGE");
  CHECK_STR(cw_status_name(CW_ETIMEOUT), "CW_ETIMEOUT");
  CHECK_STR(cw_status_name(CW_ETLS), "CW_ETLS");
  CHECK_STR(cw_status_name(CW_ECLOSED), "CW_ECLOSED");
  CHECK_STR(cw_status_name(CW_EINTERNAL), "CW_EINTERNAL");
  CHECK_STR(cw_status_name(CW_EMALFORMED), "CW_EMALFORMED");
  CHECK_STR(cw_status_name(CW_EVERSION), "CW_EVERSION");
  CHECK_STR(cw_status_name(CW_ENOMEM), "CW_ENOMEM");
  CHECK_STR(cw_status_name(CW_EFORBIDDEN), "CW_EFORBIDDEN");
  CHECK_STR(cw_status_name(-18), "CW_UNKNOWN");
  CHECK_STR(cw_status_name(1), "CW_UNKNOWN");
  CHECK_STR(cw_status_name(-100000), "CW_UNKNOWN");
}

static void test_error_clear(void) {
  cw_error err;
  memset(&err, 0x5a, sizeof err);
  cw_error_clear(&err);
  CHECK(err.domain == CW_DOMAIN_NONE && err.code == CW_OK && err.http_status == 0);
  CHECK(err.message[0] == '\0' && err.carrier_code[0] == '\0');
  CHECK(err.detail[0] == '\0');
  cw_error_clear(NULL); /* no-op */
}

/*
 * The ABI of libcallwire_c.so.3 as numbers, checked when this file compiles:
 * a change to cw_error's size or to where a member lies is an ABI break (a new
 * CW_ABI_VERSION and SONAME), never an accident. 1580 bytes: three 4-byte
 * integers, then carrier_code[32], message[512] and detail[1024].
 */
#define ABI_CHECK(name, cond) typedef char abi_check_##name[(cond) ? 1 : -1]
ABI_CHECK(error_size, sizeof(cw_error) == 1580);
ABI_CHECK(error_domain, offsetof(cw_error, domain) == 0);
ABI_CHECK(error_code, offsetof(cw_error, code) == 4);
ABI_CHECK(error_http_status, offsetof(cw_error, http_status) == 8);
ABI_CHECK(error_carrier_code, offsetof(cw_error, carrier_code) == 12);
ABI_CHECK(error_message, offsetof(cw_error, message) == 44);
ABI_CHECK(error_detail, offsetof(cw_error, detail) == 556);
ABI_CHECK(error_sizes, CW_ERROR_CODE_SIZE == 32 && CW_ERROR_MESSAGE_SIZE == 512 && CW_ERROR_DETAIL_SIZE == 1024);
ABI_CHECK(buf_size, sizeof(cw_buf) == 3 * sizeof(void *) && offsetof(cw_buf, size) == sizeof(void *));

/* ABI 2: cw_error ends with `detail`; the members before it keep their places. */
static void test_error_layout(void) {
  cw_error err;
  CHECK(sizeof(cw_error) == 1580u);
  CHECK(offsetof(cw_error, domain) == 0);
  CHECK(offsetof(cw_error, code) == 4 && offsetof(cw_error, http_status) == 8);
  CHECK(offsetof(cw_error, carrier_code) == 12);
  CHECK(offsetof(cw_error, message) == 12 + CW_ERROR_CODE_SIZE);
  CHECK(offsetof(cw_error, detail) == 12 + CW_ERROR_CODE_SIZE + CW_ERROR_MESSAGE_SIZE);
  CHECK(sizeof err.detail == CW_ERROR_DETAIL_SIZE && CW_ERROR_DETAIL_SIZE == 1024);
  CHECK(sizeof(cw_error) == 12 + CW_ERROR_CODE_SIZE + CW_ERROR_MESSAGE_SIZE + CW_ERROR_DETAIL_SIZE);
  /* An SDK-domain failure has no detail: filled as "" (not left as it was). */
  memset(&err, 'x', sizeof err);
  {
    cw_buf buf = CW_BUF_INIT;
    CHECK_RC(cw_phone_normalize(&buf, "12", &err), CW_EINVAL, &err);
  }
  CHECK(err.domain == CW_DOMAIN_SDK && err.code == CW_EINVAL);
  CHECK_STR(err.detail, "");
  CHECK_STR(err.carrier_code, "");
}

static void test_buf(void) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  cw_error_clear(&err);
  cw_buf_dispose(NULL);  /* no-op */
  cw_buf_dispose(&buf);  /* empty: no-op */
  CHECK(buf.ptr == NULL && buf.size == 0);

  CHECK_OK(cw_phone_normalize(&buf, "+1 (212) 555-1234", &err), &err);
  CHECK_STR(buf.ptr, "+12125551234");
  CHECK(buf.size == strlen("+12125551234"));
  CHECK(buf.ptr != NULL && buf.ptr[buf.size] == '\0');

  /* A filled buf passed again: the old data is disposed first (LeakSanitizer checks). */
  CHECK_OK(cw_phone_normalize(&buf, "00 44 20 7946 0958", &err), &err);
  CHECK_STR(buf.ptr, "+442079460958");

  cw_buf_dispose(&buf);
  CHECK(buf.ptr == NULL && buf.size == 0 && buf.reserved == 0);
  cw_buf_dispose(&buf); /* twice: harmless, it was zeroed */
  CHECK(buf.ptr == NULL);

  /* A failing call leaves the buf empty (its old contents disposed). */
  CHECK_OK(cw_phone_normalize(&buf, "+12125551234", &err), &err);
  CHECK_RC(cw_phone_normalize(&buf, "12", &err), CW_EINVAL, &err);
  CHECK(buf.ptr == NULL && buf.size == 0);
}

static void test_phone_normalize(void) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  cw_error_clear(&err);

  CHECK_OK(cw_phone_normalize(&buf, "+44 20 7946 0958", &err), &err);
  CHECK_STR(buf.ptr, "+442079460958");

  CHECK_RC(cw_phone_normalize(&buf, "+1 800 FLOWERS", &err), CW_EINVAL, &err);
  CHECK(err.code == CW_EINVAL && err.domain == CW_DOMAIN_SDK);
  CHECK_HAS(err.message, "'F'");
  CHECK_RC(cw_phone_normalize(&buf, "+12345", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "too short");
  CHECK_RC(cw_phone_normalize(&buf, "2125551234", &err), CW_EINVAL, &err);
  CHECK(strlen(err.message) > 0);
  CHECK_RC(cw_phone_normalize(&buf, "", &err), CW_EINVAL, &err);

  /* NULL output and NULL input name the parameter. */
  CHECK_RC(cw_phone_normalize(NULL, "+12125551234", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "out");
  CHECK_RC(cw_phone_normalize(&buf, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "input");
  /* err may be NULL. */
  CHECK_RC(cw_phone_normalize(&buf, NULL, NULL), CW_EINVAL, NULL);

  /* A successful call leaves err untouched. */
  strcpy(err.message, "untouched");
  CHECK_OK(cw_phone_normalize(&buf, "+12125551234", &err), &err);
  CHECK_STR(err.message, "untouched");
  cw_buf_dispose(&buf);
}

static void test_options_init(void) {
  cw_storage_options so;
  cw_client_options co;
  cw_server_options sv;
  const cw_storage_options so_init = CW_STORAGE_OPTIONS_INIT;
  const cw_client_options co_init = CW_CLIENT_OPTIONS_INIT;
  const cw_server_options sv_init = CW_SERVER_OPTIONS_INIT;

  memset(&so, 0x7f, sizeof so);
  CHECK_OK(cw_storage_options_init(&so, CW_STORAGE_OPTIONS_VERSION), NULL);
  CHECK(so.version == CW_STORAGE_OPTIONS_VERSION && so.database == NULL && so.timeout_ms == 0 && so.max_connections == 0);
  CHECK(so.version == so_init.version);

  memset(&co, 0x7f, sizeof co);
  CHECK_OK(cw_client_options_init(&co, CW_CLIENT_OPTIONS_VERSION), NULL);
  CHECK(co.version == co_init.version && co.api_key == NULL && co.api_base == NULL && co.connection_id == NULL);
  CHECK(co.webhook_url == NULL && co.public_key == NULL && co.ca_file == NULL && co.force_demo == 0);
  CHECK(co.insecure_webhooks == 0 && co.demo_speed == 0.0 && co.recordings_dir == NULL && co.auto_record == 0);
  CHECK(co.hangup_wait_ms == 0 && co.io_threads == 0 && co.worker_threads == 0);

  memset(&sv, 0x7f, sizeof sv);
  CHECK_OK(cw_server_options_init(&sv, CW_SERVER_OPTIONS_VERSION), NULL);
  CHECK(sv.version == sv_init.version && sv.host == NULL && sv.port == 0 && sv.rest_api == 1);
  CHECK(sv.static_dir == NULL && sv.cors_origins == NULL && sv.jwt_secret == NULL && sv.allow_public_without_auth == 0);
  CHECK(sv.body_limit == 0 && sv.threads == 0 && sv.worker_threads == 0);
  CHECK(sv_init.rest_api == 1);

  /* Unknown versions: 0 and anything newer than this library knows. */
  CHECK_RC(cw_storage_options_init(&so, 0), CW_EVERSION, NULL);
  CHECK_RC(cw_storage_options_init(&so, CW_STORAGE_OPTIONS_VERSION + 1), CW_EVERSION, NULL);
  CHECK_RC(cw_client_options_init(&co, 0), CW_EVERSION, NULL);
  CHECK_RC(cw_client_options_init(&co, CW_CLIENT_OPTIONS_VERSION + 1), CW_EVERSION, NULL);
  CHECK_RC(cw_server_options_init(&sv, 0), CW_EVERSION, NULL);
  CHECK_RC(cw_server_options_init(&sv, 999), CW_EVERSION, NULL);

  /* NULL structs. */
  CHECK_RC(cw_storage_options_init(NULL, CW_STORAGE_OPTIONS_VERSION), CW_EINVAL, NULL);
  CHECK_RC(cw_client_options_init(NULL, CW_CLIENT_OPTIONS_VERSION), CW_EINVAL, NULL);
  CHECK_RC(cw_server_options_init(NULL, CW_SERVER_OPTIONS_VERSION), CW_EINVAL, NULL);
}

int main(void) {
  test_versions();
  test_status_names();
  test_error_clear();
  test_error_layout();
  test_buf();
  test_phone_normalize();
  test_options_init();
  return finish();
}
