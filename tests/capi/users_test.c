/*
 * cw_users_*: the accounts of a server's team over the C ABI — create (and
 * its refusals: a taken email whatever its case, a short password, missing
 * or wrong fields, malformed JSON that never echoes the password), get,
 * find_by_email, list, update (role, disabled, clearing a field), status,
 * passwords, sign-in (unknown email, wrong password and a disabled account
 * answer alike), revocation, delete, and NULL handles and arguments.
 * The Python (test_users.py) and Node (users.test.js) tests mirror it.
 */
#include "harness.h"

#define PASSWORD "correct horse battery"
#define NEW_PASSWORD "staple 2 the wall"

static cw_storage *open_storage(const char *name) {
  char url[600];
  cw_storage *s = NULL;
  cw_error err;
  t_db_url(url, sizeof url, name);
  CHECK_OK(cw_storage_open(&s, url, NULL, &err), &err);
  return s;
}

/* A User JSON never carries a password or a hash. */
static void check_no_secret(const char *json) {
  CHECK_LACKS(json, "password");
  CHECK_LACKS(json, "hash");
  CHECK_LACKS(json, "argon2");
  CHECK_LACKS(json, PASSWORD);
  CHECK_LACKS(json, NEW_PASSWORD);
}

static void test_create_and_read(cw_storage *s, char *ada, char *bob, size_t size) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char tmp[64];
  cw_error_clear(&err);

  CHECK_OK(cw_users_create(&buf, s,
                           "{\"email\":\"Ada@Example.org\",\"name\":\"Ada Lovelace\",\"password\":\"" PASSWORD
                           "\",\"role\":\"admin\"}",
                           &err),
           &err);
  t_json_str(buf.ptr, "id", ada, size);
  CHECK(strlen(ada) > 0);
  CHECK_HAS(buf.ptr, "\"email\":\"Ada@Example.org\""); /* as entered */
  CHECK_HAS(buf.ptr, "\"name\":\"Ada Lovelace\"");
  CHECK_HAS(buf.ptr, "\"role\":\"admin\"");
  CHECK_HAS(buf.ptr, "\"status\":\"offline\"");
  CHECK_HAS(buf.ptr, "\"default_number_id\":null");
  CHECK_HAS(buf.ptr, "\"disabled\":false");
  CHECK(t_json_int(buf.ptr, "token_version") == 0);
  CHECK_HAS(buf.ptr, "\"created_at\":\"");
  CHECK_HAS(buf.ptr, "\"updated_at\":\"");
  CHECK_HAS(buf.ptr, "\"last_login_at\":null");
  check_no_secret(buf.ptr);

  /* role defaults to agent; a default caller-ID number */
  CHECK_OK(cw_users_create(&buf, s,
                           "{\"email\":\"bob@example.org\",\"name\":\"Bob\",\"password\":\"" PASSWORD
                           "\",\"default_number_id\":\"num-1\"}",
                           &err),
           &err);
  t_json_str(buf.ptr, "id", bob, size);
  CHECK_HAS(buf.ptr, "\"role\":\"agent\"");
  CHECK_HAS(buf.ptr, "\"default_number_id\":\"num-1\"");

  CHECK_OK(cw_users_get(&buf, s, ada, &err), &err);
  CHECK_STR(t_json_str(buf.ptr, "id", tmp, sizeof tmp), ada);
  CHECK_HAS(buf.ptr, "\"email\":\"Ada@Example.org\"");
  check_no_secret(buf.ptr);

  /* find_by_email ignores ASCII case and surrounding spaces; null when none */
  CHECK_OK(cw_users_find_by_email(&buf, s, "  ADA@example.ORG ", &err), &err);
  CHECK_STR(t_json_str(buf.ptr, "id", tmp, sizeof tmp), ada);
  CHECK_OK(cw_users_find_by_email(&buf, s, "nobody@example.org", &err), &err);
  CHECK_STR(buf.ptr, "null");

  /* list: oldest first */
  CHECK_OK(cw_users_list(&buf, s, &err), &err);
  CHECK(buf.ptr[0] == '[');
  CHECK(t_count(buf.ptr, "\"id\":") == 2);
  CHECK(strstr(buf.ptr, ada) != NULL && strstr(buf.ptr, bob) != NULL && strstr(buf.ptr, ada) < strstr(buf.ptr, bob));
  check_no_secret(buf.ptr);

  cw_buf_dispose(&buf);
}

static void test_create_refused(cw_storage *s) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  cw_error_clear(&err);

  /* The same email in another case: one account. */
  CHECK_RC(cw_users_create(&buf, s, "{\"email\":\"ADA@example.ORG\",\"name\":\"Ada 2\",\"password\":\"" PASSWORD "\"}",
                           &err),
           CW_ECONFLICT, &err);
  CHECK(buf.ptr == NULL);
  CHECK(err.code == CW_ECONFLICT && err.domain == CW_DOMAIN_SDK);
  CHECK_STR(err.message, "An account with this email already exists.");
  CHECK_LACKS(err.detail, PASSWORD);

  /* A short password: the store's rule, and the password is not in the message. */
  CHECK_RC(cw_users_create(&buf, s, "{\"email\":\"carl@example.org\",\"name\":\"Carl\",\"password\":\"seven77\"}", &err),
           CW_EINVAL, &err);
  CHECK(buf.ptr == NULL);
  CHECK_STR(err.message, "password: must be at least 8 characters long");
  CHECK_LACKS(err.message, "seven77");
  CHECK_LACKS(err.detail, "seven77");

  /* The REST API's decoder: required fields, types, the role's values. */
  CHECK_RC(cw_users_create(&buf, s, "{\"email\":\"carl@example.org\",\"name\":\"Carl\"}", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "user_json.password: field required");
  CHECK_RC(cw_users_create(&buf, s, "{\"email\":\"carl@example.org\",\"password\":\"" PASSWORD "\"}", &err), CW_EINVAL,
           &err);
  CHECK_STR(err.message, "user_json.name: field required");
  CHECK_RC(cw_users_create(&buf, s, "{\"name\":\"Carl\",\"password\":\"" PASSWORD "\"}", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "user_json.email: field required");
  CHECK_RC(cw_users_create(&buf, s,
                           "{\"email\":\"carl@example.org\",\"name\":\"Carl\",\"password\":\"" PASSWORD
                           "\",\"role\":\"boss\"}",
                           &err),
           CW_EINVAL, &err);
  CHECK_STR(err.message, "user_json.role: must be one of admin, agent (got 'boss')");
  CHECK_RC(cw_users_create(&buf, s, "{\"email\":\"carl@example.org\",\"name\":\"Carl\",\"password\":12345678}", &err),
           CW_EINVAL, &err);
  CHECK_STR(err.message, "user_json.password: expected a string");
  CHECK_RC(cw_users_create(&buf, s, "{\"email\":\"not an email\",\"name\":\"Carl\",\"password\":\"" PASSWORD "\"}", &err),
           CW_EINVAL, &err);
  CHECK_HAS(err.message, "email");
  CHECK_LACKS(err.message, PASSWORD);

  /* Malformed JSON: neither text repeats the input, so never the password. */
  CHECK_RC(cw_users_create(&buf, s, "{\"email\":\"carl@example.org\",\"password\":\"" PASSWORD "\",", &err),
           CW_EMALFORMED, &err);
  CHECK_HAS(err.message, "user_json is not valid JSON");
  CHECK_LACKS(err.message, PASSWORD);
  CHECK_LACKS(err.detail, PASSWORD);
  CHECK_RC(cw_users_create(&buf, s, "[]", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "user_json must be a JSON object");

  /* nothing was added */
  CHECK_OK(cw_users_list(&buf, s, &err), &err);
  CHECK(t_count(buf.ptr, "\"id\":") == 2);
  cw_buf_dispose(&buf);
}

static void test_update_and_status(cw_storage *s, const char *ada, const char *bob) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  cw_error_clear(&err);

  CHECK_RC(cw_users_get(&buf, s, "no-such-user", &err), CW_ENOTFOUND, &err);
  CHECK(buf.ptr == NULL);
  CHECK_STR(err.message, "user no-such-user not found");

  /* role; only the fields present change */
  CHECK_OK(cw_users_update(&buf, s, bob, "{\"role\":\"admin\",\"name\":\"Bob Jones\"}", &err), &err);
  CHECK_HAS(buf.ptr, "\"role\":\"admin\"");
  CHECK_HAS(buf.ptr, "\"name\":\"Bob Jones\"");
  CHECK_HAS(buf.ptr, "\"email\":\"bob@example.org\"");
  CHECK_HAS(buf.ptr, "\"default_number_id\":\"num-1\"");
  CHECK(t_json_int(buf.ptr, "token_version") == 0);
  /* null leaves a field; "" clears default_number_id */
  CHECK_OK(cw_users_update(&buf, s, bob, "{\"default_number_id\":null}", &err), &err);
  CHECK_HAS(buf.ptr, "\"default_number_id\":\"num-1\"");
  CHECK_OK(cw_users_update(&buf, s, bob, "{\"default_number_id\":\"\",\"role\":\"agent\"}", &err), &err);
  CHECK_HAS(buf.ptr, "\"default_number_id\":null");
  CHECK_HAS(buf.ptr, "\"role\":\"agent\"");

  /* disabling revokes the tokens; enabling again does not */
  CHECK_OK(cw_users_update(&buf, s, bob, "{\"disabled\":true}", &err), &err);
  CHECK_HAS(buf.ptr, "\"disabled\":true");
  CHECK(t_json_int(buf.ptr, "token_version") == 1);
  CHECK_OK(cw_users_update(&buf, s, bob, "{\"disabled\":false}", &err), &err);
  CHECK_HAS(buf.ptr, "\"disabled\":false");
  CHECK(t_json_int(buf.ptr, "token_version") == 1);

  /* refusals change nothing */
  CHECK_RC(cw_users_update(&buf, s, bob, "{\"email\":\"ada@EXAMPLE.org\"}", &err), CW_ECONFLICT, &err);
  CHECK_STR(err.message, "An account with this email already exists.");
  CHECK(buf.ptr == NULL);
  CHECK_RC(cw_users_update(&buf, s, bob, "{\"name\":\"\"}", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "patch_json.name: must not be empty");
  CHECK_RC(cw_users_update(&buf, s, bob, "{\"role\":\"root\"}", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "patch_json.role: must be one of admin, agent (got 'root')");
  CHECK_RC(cw_users_update(&buf, s, bob, "{\"disabled\":\"yes\"}", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "patch_json.disabled: expected a boolean");
  CHECK_RC(cw_users_update(&buf, s, bob, "{\"email\":\"bob at example\"}", &err), CW_EINVAL, &err);
  CHECK_HAS(err.message, "email");
  CHECK_RC(cw_users_update(&buf, s, bob, "{oops", &err), CW_EMALFORMED, &err);
  CHECK_HAS(err.message, "patch_json");
  CHECK_RC(cw_users_update(&buf, s, "no-such-user", "{\"name\":\"X\"}", &err), CW_ENOTFOUND, &err);
  CHECK_OK(cw_users_get(&buf, s, bob, &err), &err);
  CHECK_HAS(buf.ptr, "\"name\":\"Bob Jones\"");
  CHECK_HAS(buf.ptr, "\"email\":\"bob@example.org\"");

  /* status: what a user sets themself, the REST API's rule */
  CHECK_OK(cw_users_set_status(&buf, s, ada, "away", &err), &err);
  CHECK_HAS(buf.ptr, "\"status\":\"away\"");
  CHECK_OK(cw_users_get(&buf, s, ada, &err), &err);
  CHECK_HAS(buf.ptr, "\"status\":\"away\"");
  CHECK_OK(cw_users_set_status(&buf, s, ada, "available", &err), &err);
  CHECK_HAS(buf.ptr, "\"status\":\"available\"");
  CHECK_RC(cw_users_set_status(&buf, s, ada, "busy", &err), CW_EINVAL, &err);
  CHECK_STR(err.message,
            "status: you can set available or away (got 'busy'); busy, wrap_up and offline follow your calls and "
            "connections");
  CHECK(buf.ptr == NULL);
  CHECK_RC(cw_users_set_status(&buf, s, ada, "sleeping", &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_set_status(&buf, s, ada, "", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "status: field required");
  CHECK_RC(cw_users_set_status(&buf, s, "no-such-user", "away", &err), CW_ENOTFOUND, &err);
  CHECK_OK(cw_users_get(&buf, s, ada, &err), &err);
  CHECK_HAS(buf.ptr, "\"status\":\"available\"");

  cw_buf_dispose(&buf);
}

static void test_passwords_and_sign_in(cw_storage *s, const char *ada, const char *bob) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  char tmp[64];
  int match = -1;
  cw_error_clear(&err);

  CHECK_OK(cw_users_check_password(&match, s, ada, PASSWORD, &err), &err);
  CHECK(match == 1);
  CHECK_OK(cw_users_check_password(&match, s, ada, NEW_PASSWORD, &err), &err);
  CHECK(match == 0);
  match = -1;
  CHECK_OK(cw_users_check_password(&match, s, "no-such-user", PASSWORD, &err), &err);
  CHECK(match == 0); /* an unknown id is just not a match */

  /* sign in: any case of the email; last_login_at is set */
  CHECK_OK(cw_users_authenticate(&buf, s, "ada@EXAMPLE.org", PASSWORD, &err), &err);
  CHECK_STR(t_json_str(buf.ptr, "id", tmp, sizeof tmp), ada);
  CHECK_HAS(buf.ptr, "\"last_login_at\":\"");
  check_no_secret(buf.ptr);
  CHECK_OK(cw_users_get(&buf, s, ada, &err), &err);
  CHECK_HAS(buf.ptr, "\"last_login_at\":\"");

  /* a new password: the old one stops working, the tokens are revoked */
  CHECK_OK(cw_users_set_password(&buf, s, ada, NEW_PASSWORD, &err), &err);
  CHECK(t_json_int(buf.ptr, "token_version") == 1);
  check_no_secret(buf.ptr);
  CHECK_OK(cw_users_authenticate(&buf, s, "ada@example.org", NEW_PASSWORD, &err), &err);
  CHECK_STR(t_json_str(buf.ptr, "id", tmp, sizeof tmp), ada);
  CHECK_OK(cw_users_authenticate(&buf, s, "ada@example.org", PASSWORD, &err), &err);
  CHECK_STR(buf.ptr, "null");
  CHECK_OK(cw_users_check_password(&match, s, ada, NEW_PASSWORD, &err), &err);
  CHECK(match == 1);

  CHECK_RC(cw_users_set_password(&buf, s, ada, "short", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "password: must be at least 8 characters long");
  CHECK_LACKS(err.message, "short");
  CHECK(buf.ptr == NULL);
  CHECK_RC(cw_users_set_password(&buf, s, ada, "", &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_set_password(&buf, s, "no-such-user", NEW_PASSWORD, &err), CW_ENOTFOUND, &err);
  CHECK_OK(cw_users_authenticate(&buf, s, "ada@example.org", NEW_PASSWORD, &err), &err); /* unchanged */
  CHECK_STR(t_json_str(buf.ptr, "id", tmp, sizeof tmp), ada);

  /* failures alike: an unknown email, a wrong password, a disabled account */
  cw_error_clear(&err);
  CHECK_OK(cw_users_authenticate(&buf, s, "nobody@example.org", PASSWORD, &err), &err);
  CHECK_STR(buf.ptr, "null");
  CHECK_OK(cw_users_authenticate(&buf, s, "bob@example.org", "not the password", &err), &err);
  CHECK_STR(buf.ptr, "null");
  CHECK_OK(cw_users_update(&buf, s, bob, "{\"disabled\":true}", &err), &err);
  CHECK_OK(cw_users_authenticate(&buf, s, "bob@example.org", PASSWORD, &err), &err);
  CHECK_STR(buf.ptr, "null");
  CHECK_OK(cw_users_authenticate(&buf, s, "", "", &err), &err);
  CHECK_STR(buf.ptr, "null");
  CHECK(err.code == 0 && err.message[0] == '\0'); /* successful calls: err untouched */
  CHECK_OK(cw_users_update(&buf, s, bob, "{\"disabled\":false}", &err), &err);
  CHECK_OK(cw_users_authenticate(&buf, s, "bob@example.org", PASSWORD, &err), &err);
  CHECK_STR(t_json_str(buf.ptr, "id", tmp, sizeof tmp), bob);

  /* revoke_tokens raises token_version by one */
  CHECK_OK(cw_users_get(&buf, s, bob, &err), &err);
  {
    const long before = t_json_int(buf.ptr, "token_version");
    CHECK_OK(cw_users_revoke_tokens(&buf, s, bob, &err), &err);
    CHECK(t_json_int(buf.ptr, "token_version") == before + 1);
    CHECK_OK(cw_users_get(&buf, s, bob, &err), &err);
    CHECK(t_json_int(buf.ptr, "token_version") == before + 1);
  }
  CHECK_RC(cw_users_revoke_tokens(&buf, s, "no-such-user", &err), CW_ENOTFOUND, &err);

  cw_buf_dispose(&buf);
}

static void test_delete(cw_storage *s, const char *bob) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  cw_error_clear(&err);

  CHECK_OK(cw_users_remove(s, bob, &err), &err);
  CHECK_RC(cw_users_get(&buf, s, bob, &err), CW_ENOTFOUND, &err);
  CHECK_RC(cw_users_remove(s, bob, &err), CW_ENOTFOUND, &err);
  CHECK_HAS(err.message, "not found");
  CHECK_OK(cw_users_find_by_email(&buf, s, "bob@example.org", &err), &err);
  CHECK_STR(buf.ptr, "null");
  CHECK_OK(cw_users_authenticate(&buf, s, "bob@example.org", PASSWORD, &err), &err);
  CHECK_STR(buf.ptr, "null");
  CHECK_OK(cw_users_list(&buf, s, &err), &err);
  CHECK(t_count(buf.ptr, "\"id\":") == 1);
  /* the email is free again */
  CHECK_OK(cw_users_create(&buf, s, "{\"email\":\"bob@example.org\",\"name\":\"Bob\",\"password\":\"" PASSWORD "\"}",
                           &err),
           &err);
  CHECK_HAS(buf.ptr, "\"status\":\"offline\"");

  cw_buf_dispose(&buf);
}

static void test_null_arguments(cw_storage *s, const char *ada) {
  cw_buf buf = CW_BUF_INIT;
  cw_error err;
  int match = 7;
  cw_error_clear(&err);

  CHECK_RC(cw_users_create(NULL, s, "{}", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "out must not be NULL");
  CHECK_RC(cw_users_create(&buf, NULL, "{}", &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "storage must not be NULL");
  CHECK_RC(cw_users_create(&buf, s, NULL, &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "user_json must not be NULL");
  CHECK_RC(cw_users_get(NULL, s, ada, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_get(&buf, NULL, ada, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_get(&buf, s, NULL, &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "id must not be NULL");
  CHECK_RC(cw_users_find_by_email(NULL, s, "a@b.c", &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_find_by_email(&buf, NULL, "a@b.c", &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_find_by_email(&buf, s, NULL, &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "email must not be NULL");
  CHECK_RC(cw_users_list(NULL, s, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_list(&buf, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_update(NULL, s, ada, "{}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_update(&buf, NULL, ada, "{}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_update(&buf, s, NULL, "{}", &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_update(&buf, s, ada, NULL, &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "patch_json must not be NULL");
  CHECK_RC(cw_users_remove(NULL, ada, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_remove(s, NULL, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_set_status(NULL, s, ada, "away", &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_set_status(&buf, NULL, ada, "away", &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_set_status(&buf, s, NULL, "away", &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_set_status(&buf, s, ada, NULL, &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "status must not be NULL");
  CHECK_RC(cw_users_set_password(NULL, s, ada, NEW_PASSWORD, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_set_password(&buf, NULL, ada, NEW_PASSWORD, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_set_password(&buf, s, NULL, NEW_PASSWORD, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_set_password(&buf, s, ada, NULL, &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "new_password must not be NULL");
  CHECK_RC(cw_users_check_password(NULL, s, ada, PASSWORD, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_check_password(&match, NULL, ada, PASSWORD, &err), CW_EINVAL, &err);
  CHECK(match == 0); /* 0 on failure */
  CHECK_RC(cw_users_check_password(&match, s, NULL, PASSWORD, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_check_password(&match, s, ada, NULL, &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "password must not be NULL");
  CHECK_RC(cw_users_authenticate(NULL, s, "a@b.c", PASSWORD, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_authenticate(&buf, NULL, "a@b.c", PASSWORD, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_authenticate(&buf, s, NULL, PASSWORD, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_authenticate(&buf, s, "a@b.c", NULL, &err), CW_EINVAL, &err);
  CHECK_STR(err.message, "password must not be NULL");
  CHECK_RC(cw_users_revoke_tokens(NULL, s, ada, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_revoke_tokens(&buf, NULL, ada, &err), CW_EINVAL, &err);
  CHECK_RC(cw_users_revoke_tokens(&buf, s, NULL, &err), CW_EINVAL, &err);
  /* NULL err is allowed */
  CHECK_RC(cw_users_get(&buf, s, "no-such-user", NULL), CW_ENOTFOUND, NULL);
  CHECK(buf.ptr == NULL);

  /* A filled buf given to a failing call is left empty. */
  CHECK_OK(cw_users_get(&buf, s, ada, &err), &err);
  CHECK(buf.ptr != NULL);
  CHECK_RC(cw_users_get(&buf, s, "no-such-user", &err), CW_ENOTFOUND, &err);
  CHECK(buf.ptr == NULL && buf.size == 0);

  cw_buf_dispose(&buf);
}

int main(void) {
  cw_storage *s = open_storage("users");
  char ada[64], bob[64];
  if (s == NULL) return finish();
  test_create_and_read(s, ada, bob, sizeof ada);
  test_create_refused(s);
  test_update_and_status(s, ada, bob);
  test_passwords_and_sign_in(s, ada, bob);
  test_delete(s, bob);
  test_null_arguments(s, ada);
  cw_storage_free(s);
  return finish();
}
