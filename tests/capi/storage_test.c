/*
 * cw_storage and the record functions: contacts, call logs, recordings,
 * numbers, settings — the happy paths and the misuse (NULL handles and
 * outputs, unknown ids, invalid numbers, malformed JSON, wrong field types,
 * wrong option versions, the free-twice pattern).
 */
#include "harness.h"

static cw_storage *open_storage(const char *name) {
  char url[600];
  cw_storage *s = NULL;
  cw_error err;
  t_db_url(url, sizeof url, name);
  CHECK_OK(cw_storage_open(&s, url, NULL, &err), &err);
  return s;
}

static void test_open_and_free(void) {
  char url[600];
  cw_storage *s = (cw_storage *)&url; /* garbage: must be reset to NULL on failure */
  cw_storage_options opts = CW_STORAGE_OPTIONS_INIT;
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  cw_error_clear(&err);

  t_db_url(url, sizeof url, "open");
  CHECK_RC(cw_storage_open(NULL, url, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "out");
  CHECK_RC(cw_storage_open(&s, NULL, NULL, &err), CW_EINVAL, &err);
  CHECK(s == NULL);
  CHECK_HAS(err.message, "url");
  CHECK_RC(cw_storage_open(&s, "ftp://nowhere/x", NULL, &err), CW_EINVAL, &err);
  CHECK(s == NULL);
  CHECK(err.domain == CW_DOMAIN_SDK || err.domain == CW_DOMAIN_STORAGE);

  /* A file that cannot be opened: the storage domain; the path and SQLite's
     words are in detail only. */
  {
    char missing[700];
    snprintf(missing, sizeof missing, "sqlite://%s/no/such/folder/x.db", CAPI_TEST_SCRATCH_DIR);
    CHECK_RC(cw_storage_open(&s, missing, NULL, &err), CW_ESTORAGE, &err);
    CHECK(s == NULL);
    CHECK(err.domain == CW_DOMAIN_STORAGE);
    CHECK_STR(err.message, "The database cannot be opened.");
    CHECK_HAS(err.detail, "sqlite: cannot open database: unable to open database file (");
    CHECK(strstr(err.detail, missing + strlen("sqlite://")) != NULL);
  }

  opts.version = 0;
  CHECK_RC(cw_storage_open(&s, url, &opts, &err), CW_EVERSION, &err);
  CHECK(s == NULL);
  CHECK_HAS(err.message, "version");
  opts.version = CW_STORAGE_OPTIONS_VERSION + 1;
  CHECK_RC(cw_storage_open(&s, url, &opts, &err), CW_EVERSION, &err);

  CHECK_OK(cw_storage_options_init(&opts, CW_STORAGE_OPTIONS_VERSION), NULL);
  opts.timeout_ms = 2000;
  opts.max_connections = 2;
  CHECK_OK(cw_storage_open(&s, url, &opts, &err), &err);
  CHECK(s != NULL);

  CHECK_OK(cw_storage_info(&buf, s, &err), &err);
  CHECK_HAS(buf.ptr, "\"backend\":\"sqlite\"");
  CHECK_HAS(buf.ptr, "\"schema_version\":");
  CHECK_HAS(buf.ptr, "\"name\":\"contacts\"");
  CHECK_HAS(buf.ptr, "\"name\":\"call_logs\"");
  CHECK_HAS(buf.ptr, "\"indexes\":[");
  CHECK_RC(cw_storage_info(NULL, s, &err), CW_EINVAL, &err);
  CHECK_RC(cw_storage_info(&buf, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "storage");
  CHECK(buf.ptr == NULL);

  /* The documented pattern: free, set to NULL, free again is harmless. */
  cw_storage_free(s);
  s = NULL;
  cw_storage_free(s);
  cw_storage_free(NULL);
  cw_buf_dispose(&buf);
}

static void test_contacts(void) {
  cw_storage *s = open_storage("contacts");
  cw_buf buf = CW_BUF_INIT, list = CW_BUF_INIT;
  cw_error err;
  char ada[64], bob[64], tmp[64];
  cw_error_clear(&err);

  CHECK_OK(cw_contacts_create(&buf, s,
                              "{\"name\":\"Ada Lovelace\",\"phone\":\"+44 20 7946 0958\",\"email\":\"ada@example.org\","
                              "\"category\":\"client\",\"notes\":\"analytical\"}",
                              &err),
           &err);
  t_json_str(buf.ptr, "id", ada, sizeof ada);
  CHECK(strlen(ada) > 0);
  CHECK_HAS(buf.ptr, "\"phone\":\"+442079460958\"");
  CHECK_HAS(buf.ptr, "\"category\":\"client\"");
  CHECK_HAS(buf.ptr, "\"is_favorite\":false");
  CHECK_HAS(buf.ptr, "\"created_at\":\"");

  CHECK_OK(cw_contacts_create(&buf, s, "{\"name\":\"Bob\",\"phone\":\"+1 212 555 0199\",\"category\":\"lead\"}", &err),
           &err);
  t_json_str(buf.ptr, "id", bob, sizeof bob);

  CHECK_OK(cw_contacts_get(&buf, s, ada, &err), &err);
  CHECK_HAS(buf.ptr, "\"name\":\"Ada Lovelace\"");
  CHECK_STR(t_json_str(buf.ptr, "id", tmp, sizeof tmp), ada);

  /* list: all, by search, by category, favourites, paging */
  CHECK_OK(cw_contacts_list(&list, s, NULL, &err), &err);
  CHECK(t_count(list.ptr, "\"id\":") == 2);
  CHECK(list.ptr[0] == '[');
  CHECK_OK(cw_contacts_list(&list, s, "{\"search\":\"lovelace\"}", &err), &err);
  CHECK(t_count(list.ptr, "\"id\":") == 1);
  CHECK_HAS(list.ptr, "Ada");
  CHECK_OK(cw_contacts_list(&list, s, "{\"category\":\"lead\"}", &err), &err);
  CHECK(t_count(list.ptr, "\"id\":") == 1);
  CHECK_HAS(list.ptr, "Bob");
  CHECK_OK(cw_contacts_list(&list, s, "{\"category\":\"all\",\"limit\":1,\"offset\":1}", &err), &err);
  CHECK(t_count(list.ptr, "\"id\":") == 1);
  CHECK_HAS(list.ptr, "Bob"); /* ordered by name: Ada, Bob */
  CHECK_OK(cw_contacts_list(&list, s, "", &err), &err); /* blank: all */
  CHECK(t_count(list.ptr, "\"id\":") == 2);

  /* toggle favourite twice */
  CHECK_OK(cw_contacts_toggle_favorite(&buf, s, bob, &err), &err);
  CHECK_HAS(buf.ptr, "\"is_favorite\":true");
  CHECK_OK(cw_contacts_list(&list, s, "{\"favorites_only\":true}", &err), &err);
  CHECK(t_count(list.ptr, "\"id\":") == 1);
  CHECK_HAS(list.ptr, "Bob");
  CHECK_OK(cw_contacts_toggle_favorite(&buf, s, bob, &err), &err);
  CHECK_HAS(buf.ptr, "\"is_favorite\":false");

  /* update: only the fields present change */
  CHECK_OK(cw_contacts_update(&buf, s, ada, "{\"notes\":\"first programmer\",\"category\":\"follow_up\"}", &err), &err);
  CHECK_HAS(buf.ptr, "\"notes\":\"first programmer\"");
  CHECK_HAS(buf.ptr, "\"category\":\"follow_up\"");
  CHECK_HAS(buf.ptr, "\"name\":\"Ada Lovelace\"");
  CHECK_HAS(buf.ptr, "\"phone\":\"+442079460958\"");

  /* misuse: invalid numbers, fields, JSON */
  CHECK_RC(cw_contacts_create(&buf, s, "{\"name\":\"X\",\"phone\":\"12\"}", &err), CW_EINVAL, &err);
  CHECK(buf.ptr == NULL);
  CHECK_HAS(err.message, "phone");
  CHECK(err.domain == CW_DOMAIN_SDK);
  CHECK_RC(cw_contacts_create(&buf, s, "{\"phone\":\"+12125550123\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "name");
  CHECK_RC(cw_contacts_create(&buf, s, "{\"name\":\"X\",\"phone\":\"+12125550123\",\"is_favorite\":\"yes\"}", &err),
           CW_EINVAL, &err);
  CHECK_HAS(err.message, "is_favorite");
  CHECK_RC(cw_contacts_create(&buf, s, "{\"name\":\"X\",\"phone\":", &err), CW_EMALFORMED, &err);
  CHECK_HAS(err.message, "contact_json");
  CHECK_RC(cw_contacts_create(&buf, s, "[1,2]", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "contact_json must be a JSON object");
  CHECK_RC(cw_contacts_create(&buf, s, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "contact_json");
  CHECK_RC(cw_contacts_update(&buf, s, ada, "{\"name\":\"\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "name");
  CHECK_RC(cw_contacts_update(&buf, s, ada, "{\"is_favorite\":1}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "patch_json.is_favorite");
  CHECK_RC(cw_contacts_update(&buf, s, ada, "{\"category\":\"vip\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "category");
  CHECK_RC(cw_contacts_update(&buf, s, ada, "{oops}", &err), CW_EMALFORMED, &err);
  CHECK_RC(cw_contacts_update(&buf, s, ada, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_list(&list, s, "{\"limit\":0}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "filter_json.limit");
  CHECK(list.ptr == NULL);
  CHECK_RC(cw_contacts_list(&list, s, "{\"limit\":\"ten\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "filter_json.limit: expected an integer");
  CHECK_RC(cw_contacts_list(&list, s, "{\"favorites_only\":\"yes\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "favorites_only");
  CHECK_RC(cw_contacts_list(&list, s, "{\"category\":\"vip\"}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_list(&list, s, "not json", &err), CW_EMALFORMED, &err);
  CHECK_HAS(err.message, "filter_json");

  /* unknown ids */
  CHECK_RC(cw_contacts_get(&buf, s, "no-such-id", &err), CW_ENOTFOUND, &err);
  CHECK(err.code == CW_ENOTFOUND);
  CHECK_RC(cw_contacts_update(&buf, s, "no-such-id", "{\"notes\":\"x\"}", &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_contacts_remove(s, "no-such-id", &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_contacts_toggle_favorite(&buf, s, "no-such-id", &err), CW_ENOTFOUND, &err);

  /* NULL handles, outputs and ids */
  CHECK_RC(cw_contacts_create(NULL, s, "{}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_create(&buf, NULL, "{}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "storage must not be NULL");
  CHECK_RC(cw_contacts_get(NULL, s, ada, &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_get(&buf, NULL, ada, &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_get(&buf, s, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "id");
  CHECK_RC(cw_contacts_list(NULL, s, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_list(&list, NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_update(NULL, s, ada, "{}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_update(&buf, NULL, ada, "{}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_update(&buf, s, NULL, "{}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_remove(NULL, ada, &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_remove(s, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_toggle_favorite(NULL, s, ada, &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_toggle_favorite(&buf, NULL, ada, &err), CW_EINVAL, &err);
  CHECK_RC(cw_contacts_toggle_favorite(&buf, s, NULL, &err), CW_EINVAL, &err);

  /* delete, then it is gone */
  CHECK_OK(cw_contacts_remove(s, bob, &err), &err);
  CHECK_RC(cw_contacts_get(&buf, s, bob, &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_contacts_remove(s, bob, &err), CW_ENOTFOUND, &err);
  CHECK_OK(cw_contacts_list(&list, s, NULL, &err), &err);
  CHECK(t_count(list.ptr, "\"id\":") == 1);

  cw_buf_dispose(&buf);
  cw_buf_dispose(&list);
  cw_storage_free(s);
}

static void test_numbers(void) {
  cw_storage *s = open_storage("numbers");
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char first[64], second[64], db_path[600];
  cw_error_clear(&err);
  snprintf(db_path, sizeof db_path, "%s/numbers-%ld.db", CAPI_TEST_SCRATCH_DIR, (long)getpid()); /* as t_db_url */

  CHECK_OK(cw_numbers_list(&buf, s, &err), &err);
  CHECK_STR(buf.ptr, "[]");
  CHECK_OK(cw_numbers_create(&buf, s, "{\"number\":\"+1 (312) 555-0100\",\"name\":\"Office\"}", &err), &err);
  t_json_str(buf.ptr, "id", first, sizeof first);
  CHECK_HAS(buf.ptr, "\"number\":\"+13125550100\"");
  CHECK_HAS(buf.ptr, "\"is_default\":true"); /* the first number is the default */
  CHECK_OK(cw_numbers_create(&buf, s, "{\"number\":\"+13125550101\",\"name\":\"Sales\"}", &err), &err);
  t_json_str(buf.ptr, "id", second, sizeof second);
  CHECK_HAS(buf.ptr, "\"is_default\":false");

  /* The same number again: a sentence for people, the database's own text
     (the constraint, the file) in detail, for logs. */
  CHECK_RC(cw_numbers_create(&buf, s, "{\"number\":\"+1 312 555 0100\",\"name\":\"Again\"}", &err), CW_ECONFLICT, &err);
  CHECK(buf.ptr == NULL);
  CHECK(err.code == CW_ECONFLICT && err.domain == CW_DOMAIN_SDK);
  CHECK_STR(err.message, "This number is already in your list.");
  CHECK_HAS(err.detail, "number +13125550100 (id ");
  CHECK_HAS(err.detail, "already exists: sqlite: insert into numbers: UNIQUE constraint failed: numbers.number (");
  CHECK(strstr(err.detail, db_path) != NULL); /* the file */
  CHECK(strlen(err.detail) < CW_ERROR_DETAIL_SIZE);
  /* Another failure replaces the whole cw_error: no stale detail. */
  CHECK_RC(cw_numbers_set_default(&buf, s, "nope", &err), CW_ENOTFOUND, &err);
  CHECK_STR(err.message, "number nope not found");
  CHECK_STR(err.detail, "");
  CHECK_RC(cw_numbers_create(&buf, s, "{\"number\":\"555\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "number");
  CHECK_RC(cw_numbers_create(&buf, s, "{\"name\":\"no number\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "number");
  CHECK_RC(cw_numbers_create(&buf, s, "{\"number\":13125550100}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_numbers_create(&buf, s, "{\"number\"", &err), CW_EMALFORMED, &err);
  CHECK_RC(cw_numbers_create(&buf, s, NULL, &err), CW_EINVAL, &err);

  CHECK_OK(cw_numbers_set_default(&buf, s, second, &err), &err);
  CHECK_HAS(buf.ptr, "\"is_default\":true");
  CHECK_OK(cw_numbers_list(&buf, s, &err), &err);
  CHECK(t_count(buf.ptr, "\"is_default\":true") == 1);
  CHECK(t_count(buf.ptr, "\"id\":") == 2);
  CHECK_RC(cw_numbers_set_default(&buf, s, "nope", &err), CW_ENOTFOUND, &err);

  CHECK_OK(cw_numbers_remove(s, second, &err), &err);
  CHECK_RC(cw_numbers_remove(s, second, &err), CW_ENOTFOUND, &err);
  CHECK_OK(cw_numbers_list(&buf, s, &err), &err);
  CHECK(t_count(buf.ptr, "\"is_default\":true") == 1); /* handed to the remaining one */
  CHECK_HAS(buf.ptr, first);

  CHECK_RC(cw_numbers_list(NULL, s, &err), CW_EINVAL, &err);
  CHECK_RC(cw_numbers_list(&buf, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_numbers_create(NULL, s, "{}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_numbers_create(&buf, NULL, "{}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_numbers_remove(NULL, first, &err), CW_EINVAL, &err);
  CHECK_RC(cw_numbers_remove(s, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_numbers_set_default(NULL, s, first, &err), CW_EINVAL, &err);
  CHECK_RC(cw_numbers_set_default(&buf, NULL, first, &err), CW_EINVAL, &err);
  CHECK_RC(cw_numbers_set_default(&buf, s, NULL, &err), CW_EINVAL, &err);

  cw_buf_dispose(&buf);
  cw_storage_free(s);
}

static void test_settings(void) {
  cw_storage *s = open_storage("settings");
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char key[64];
  cw_error_clear(&err);

  CHECK_OK(cw_settings_get(&buf, s, 1, &err), &err);
  CHECK_HAS(buf.ptr, "\"api_key\":\"\"");
  CHECK_HAS(buf.ptr, "\"api_base\":\"\"");  /* stored as saved: not set */

  CHECK_OK(cw_settings_save(&buf, s,
                            "{\"api_key\":\"KEY0123456789SECRETabcd\",\"connection_id\":\"conn-1\","
                            "\"webhook_url\":\"https://example.org/webhooks/call\",\"auto_record\":true}",
                            &err),
           &err);
  /* answered masked */
  CHECK_STR(t_json_str(buf.ptr, "api_key", key, sizeof key), "****abcd");
  CHECK_LACKS(buf.ptr, "SECRET");
  CHECK_HAS(buf.ptr, "\"connection_id\":\"conn-1\"");
  CHECK_HAS(buf.ptr, "\"auto_record\":true");

  CHECK_OK(cw_settings_get(&buf, s, 1, &err), &err);
  CHECK_STR(t_json_str(buf.ptr, "api_key", key, sizeof key), "****abcd");
  CHECK_OK(cw_settings_get(&buf, s, 0, &err), &err);
  CHECK_STR(t_json_str(buf.ptr, "api_key", key, sizeof key), "KEY0123456789SECRETabcd");

  /* the masked value sent back keeps the stored secret */
  CHECK_OK(cw_settings_save(&buf, s, "{\"api_key\":\"****abcd\",\"connection_id\":\"conn-2\"}", &err), &err);
  CHECK_OK(cw_settings_get(&buf, s, 0, &err), &err);
  CHECK_STR(t_json_str(buf.ptr, "api_key", key, sizeof key), "KEY0123456789SECRETabcd");
  CHECK_HAS(buf.ptr, "\"connection_id\":\"conn-2\"");
  CHECK_HAS(buf.ptr, "\"auto_record\":true"); /* absent fields keep their value */

  CHECK_RC(cw_settings_save(&buf, s, "{\"webhook_url\":\"ftp://x\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "webhook_url");
  CHECK_RC(cw_settings_save(&buf, s, "{\"api_base\":\"not a url\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "api_base");
  CHECK_RC(cw_settings_save(&buf, s, "{\"auto_record\":\"yes\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "settings_json.auto_record");
  CHECK_RC(cw_settings_save(&buf, s, "{\"api_key\":", &err), CW_EMALFORMED, &err);
  CHECK_RC(cw_settings_save(&buf, s, "42", &err), CW_EINVAL, &err);
  CHECK_RC(cw_settings_save(&buf, s, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_settings_save(NULL, s, "{}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_settings_save(&buf, NULL, "{}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_settings_get(NULL, s, 1, &err), CW_EINVAL, &err);
  CHECK_RC(cw_settings_get(&buf, NULL, 1, &err), CW_EINVAL, &err);

  cw_buf_dispose(&buf);
  cw_storage_free(s);
}

/* Logs and recordings with no calls; calls come from the client tests. */
static void test_logs_and_recordings_empty(void) {
  cw_storage *s = open_storage("logs");
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  cw_error_clear(&err);

  CHECK_OK(cw_logs_list(&buf, s, NULL, &err), &err);
  CHECK_STR(buf.ptr, "[]");
  CHECK_OK(cw_logs_list(&buf, s, "{\"search\":\"212\",\"status\":\"completed\",\"from\":\"2026-01-01T00:00:00Z\","
                                 "\"to\":\"2027-01-01T00:00:00.000Z\",\"limit\":10,\"offset\":0}",
                        &err),
           &err);
  CHECK_STR(buf.ptr, "[]");
  CHECK_OK(cw_logs_stats(&buf, s, NULL, &err), &err);
  CHECK_HAS(buf.ptr, "\"total_calls\":0");
  CHECK_OK(cw_logs_export_csv(&buf, s, NULL, &err), &err);
  CHECK(buf.size > 0 && strstr(buf.ptr, "\r\n") == buf.ptr + buf.size - 2); /* just the header line */
  CHECK_HAS(buf.ptr, "call_id");
  CHECK_OK(cw_recordings_list(&buf, s, NULL, &err), &err);
  CHECK_STR(buf.ptr, "[]");
  CHECK_OK(cw_recordings_list(&buf, s, "{\"limit\":5,\"offset\":2}", &err), &err);
  CHECK_STR(buf.ptr, "[]");

  CHECK_RC(cw_logs_get(&buf, s, "no-such-call", &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_recordings_list_for_call(&buf, s, "no-such-call", &err), CW_ENOTFOUND, &err);
  CHECK_HAS(err.message, "no-such-call");
  CHECK_RC(cw_recordings_remove(s, "no-such-recording", &err), CW_ENOTFOUND, &err);

  CHECK_RC(cw_logs_list(&buf, s, "{\"status\":\"sleeping\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "filter_json.status");
  CHECK_RC(cw_logs_list(&buf, s, "{\"from\":\"yesterday\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "filter_json.from");
  CHECK_RC(cw_logs_list(&buf, s, "{\"limit\":1001}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_logs_list(&buf, s, "{\"offset\":-1}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_logs_stats(&buf, s, "{\"to\":5}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_logs_export_csv(&buf, s, "{\"status\":", &err), CW_EMALFORMED, &err);
  CHECK_RC(cw_recordings_list(&buf, s, "{\"limit\":true}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_recordings_list(&buf, s, "[]", &err), CW_EINVAL, &err);

  CHECK_RC(cw_logs_get(NULL, s, "x", &err), CW_EINVAL, &err);
  CHECK_RC(cw_logs_get(&buf, NULL, "x", &err), CW_EINVAL, &err);
  CHECK_RC(cw_logs_get(&buf, s, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "call_id");
  CHECK_RC(cw_logs_list(NULL, s, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_logs_list(&buf, NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_logs_stats(NULL, s, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_logs_stats(&buf, NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_logs_export_csv(NULL, s, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_logs_export_csv(&buf, NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_recordings_list(NULL, s, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_recordings_list(&buf, NULL, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_recordings_list_for_call(NULL, s, "x", &err), CW_EINVAL, &err);
  CHECK_RC(cw_recordings_list_for_call(&buf, NULL, "x", &err), CW_EINVAL, &err);
  CHECK_RC(cw_recordings_list_for_call(&buf, s, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_recordings_remove(NULL, "x", &err), CW_EINVAL, &err);
  CHECK_RC(cw_recordings_remove(s, NULL, &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "recording_id");

  cw_buf_dispose(&buf);
  cw_storage_free(s);
}

/* A message longer than cw_error.message is truncated and NUL-terminated. */
static void test_long_error_message(void) {
  cw_storage *s = open_storage("long");
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char id[2000];
  memset(id, 'x', sizeof id - 1);
  id[sizeof id - 1] = '\0';
  CHECK_RC(cw_recordings_list_for_call(&buf, s, id, &err), CW_ENOTFOUND, &err);
  CHECK(strlen(err.message) == CW_ERROR_MESSAGE_SIZE - 1);
  cw_storage_free(s);
}

int main(void) {
  test_open_and_free();
  test_contacts();
  test_numbers();
  test_settings();
  test_logs_and_recordings_empty();
  test_long_error_message();
  return finish();
}
