/*
 * callwire.h — the stable C ABI of callwire.
 *
 * callwire places and follows phone calls through Telnyx Call Control (or a
 * simulator in demo mode), verifies Telnyx webhooks, and keeps contacts, call
 * logs, recordings, caller-ID numbers and settings in storage. This header is
 * the one surface other languages build on (the Python and Node bindings do).
 *
 * Conventions (see docs/c-api.md for the full reference):
 *
 *  - Functions are cw_<module>_<verb>. A function that can fail returns an
 *    int: CW_OK (0) or a negative CW_E* code. Outputs come first, then the
 *    handle, then inputs; the last parameter is an optional `cw_error *`
 *    (NULL allowed) that receives the details.
 *  - Constructors return the handle through `**out` and set *out to NULL on
 *    failure. cw_x_free(NULL) is a no-op. Free each handle once; set your
 *    pointer to NULL after freeing it (the documented pattern), so a second
 *    cw_x_free(ptr) is harmless.
 *  - Records (calls, contacts, numbers, recordings, settings, users, stats)
 *    cross the ABI as UTF-8 JSON text with the field names of the REST API.
 *    Results come back in a caller-provided `cw_buf` that must be released
 *    with cw_buf_dispose(), never free(). A cw_buf must be zero-initialised
 *    (CW_BUF_INIT) before first use; passing a buf that already holds data
 *    disposes the old data first. When a call fails its buf is left empty
 *    (except cw_client_ingest_webhook, see there).
 *  - Option structs start with `unsigned version`; initialise them with
 *    CW_X_OPTIONS_INIT or cw_x_options_init(&opts, CW_X_OPTIONS_VERSION).
 *    Passing NULL for options means the defaults. Structs only grow at the
 *    end; a version this library does not know gives CW_EVERSION.
 *  - No C++ exception crosses this ABI: every entry point catches and maps to
 *    a code plus cw_error. Codes are never renumbered.
 *  - Each function's comment names its parameters, what it returns (for a
 *    code: CW_OK and each CW_E* it can give), who owns what it hands out and
 *    how to release it. Not repeated there: every function that returns a
 *    code may also give CW_ENOMEM (out of memory) and CW_EINTERNAL (a bug in
 *    callwire: please report it). tests/capi/check_header_docs.py checks that
 *    no function lacks such a comment.
 *
 * Threading: every function may be called from any thread, and the handles
 * are thread-safe, except that a handle must not be used during or after its
 * cw_x_free(). Calls that touch storage or wait for the carrier block the
 * calling thread. Event callbacks: see cw_client_subscribe().
 *
 * ABI policy: the shared library's SONAME is libcallwire_c.so.<major>
 * (currently 2). Within a major version, functions, codes and struct layouts
 * are only added, never changed or removed. Major 2 grew cw_error by
 * `detail` (see there and docs/c-api.md, "ABI policy").
 */
#ifndef CALLWIRE_H
#define CALLWIRE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(CALLWIRE_C_BUILDING) && (defined(__GNUC__) || defined(__clang__))
#define CW_API __attribute__((visibility("default")))
#else
#define CW_API
#endif

/* ---- versions -------------------------------------------------------------- */

/*
 * CW_VERSION_MAJOR, CW_VERSION_MINOR, CW_VERSION_PATCH, CW_VERSION_STRING
 * ("0.1.0") and CW_VERSION_NUMBER (major * 10000 + minor * 100 + patch): the
 * version of this header, generated from the project's one version number
 * (installed beside this file).
 */
#include "callwire_version.h"
/**
 * The ABI major version: the N of libcallwire_c.so.N. 2: cw_error ends with
 * `detail` (a larger struct than in 1). 3: one verb per act — the removing
 * functions are *_remove, cw_numbers_create, cw_recordings_list_for_call,
 * cw_update_cb (CHANGELOG.md lists each old name).
 */
#define CW_ABI_VERSION 3

/**
 * Returns the library's version number, major * 10000 + minor * 100 + patch (compare with
 * CW_VERSION_NUMBER of the header you compiled against). Any thread.
 */
CW_API uint32_t cw_version_number(void);
/**
 * Returns the library's version, e.g. "0.1.0": static storage, do not free. Any thread.
 */
CW_API const char *cw_version_string(void);

/* ---- status codes and errors ---------------------------------------------- */

/** Return codes. 0 is success; errors are negative and never renumbered. */
typedef enum cw_status {
  CW_OK = 0,
  CW_EINVAL = -1,         /**< invalid argument: bad phone number, JSON field, option, NULL handle */
  CW_ENOTFOUND = -2,      /**< unknown id */
  CW_ECONFLICT = -3,      /**< duplicate, or the state does not allow it (e.g. the call has ended) */
  CW_EUNAUTHORIZED = -4,  /**< bad or missing webhook signature */
  CW_ETOOLARGE = -5,      /**< body over the size limit */
  CW_ERATELIMITED = -6,   /**< pacing refused the request */
  CW_ECARRIER = -7,       /**< the carrier answered with an error (see cw_error.http_status, carrier_code) */
  CW_EUNAVAILABLE = -8,   /**< carrier or database unreachable; retrying later may work */
  CW_ESTORAGE = -9,       /**< the database reported an error */
  CW_ETIMEOUT = -10,      /**< an operation ran out of time */
  CW_ETLS = -11,          /**< TLS handshake or certificate verification failed */
  CW_ECLOSED = -12,       /**< the handle was closed */
  CW_EINTERNAL = -13,     /**< a bug in callwire: please report it */
  CW_EMALFORMED = -14,    /**< a body that does not parse (JSON, webhook envelope) */
  CW_EVERSION = -15,      /**< an options struct version this library does not know */
  CW_ENOMEM = -16,        /**< out of memory */
  CW_EFORBIDDEN = -17     /**< signed in, but the user's role or account does not allow it */
} cw_status;

/**
 * Returns the symbolic name of `code` ("CW_ENOTFOUND"), or "CW_UNKNOWN" for a value that is no
 * cw_status. Static storage: do not free. Any thread.
 */
CW_API const char *cw_status_name(int code);

/** Where an error came from. */
typedef enum cw_error_domain {
  CW_DOMAIN_NONE = 0,
  CW_DOMAIN_SDK = 1,      /**< callwire itself (validation, state, closed handles) */
  CW_DOMAIN_CARRIER = 2,  /**< the carrier: http_status and carrier_code are set */
  CW_DOMAIN_STORAGE = 3,  /**< the database */
  CW_DOMAIN_TLS = 4       /**< TLS to the carrier */
} cw_error_domain;

#define CW_ERROR_MESSAGE_SIZE 512
#define CW_ERROR_CODE_SIZE 32
#define CW_ERROR_DETAIL_SIZE 1024

/**
 * Error details, owned by the caller (e.g. on the stack): no thread-local
 * state, so it can be handed between threads. Filled entirely by a failing
 * call (fields that do not apply are 0 or empty); left untouched by a
 * successful one. `message`, `carrier_code` and `detail` are always
 * NUL-terminated (truncated to fit, on a UTF-8 boundary).
 *
 * Two texts, for two audiences:
 *  - `message` may be shown to anyone, end users included: it never carries
 *    SQL, file paths or database driver messages. Storage errors make it one
 *    plain sentence ("This number is already in your list.", "The database
 *    is not available right now; try again.").
 *  - `detail` is for logs and for the developer, NEVER for end users: the
 *    raw text behind `message`. Storage domain: what callwire was doing, the
 *    SQLite or MongoDB driver's message and the file path or collection
 *    ("number +13125550100 (id …) already exists: sqlite: insert into
 *    numbers: UNIQUE constraint failed: numbers.number (/var/lib/app/calls.db)").
 *    Carrier domain: the `detail` of Telnyx's errors[0] ("Call has already
 *    ended"). Empty ("") when there is nothing beyond `message`.
 *
 * Since CW_ABI_VERSION 2 (libcallwire_c.so.2); `detail` is the last member.
 */
typedef struct cw_error {
  uint32_t domain;                         /**< cw_error_domain */
  int32_t code;                            /**< the cw_status returned */
  int32_t http_status;                     /**< carrier domain: the HTTP status (0 if none came) */
  char carrier_code[CW_ERROR_CODE_SIZE];   /**< carrier domain: Telnyx errors[0].code, e.g. "90018" */
  char message[CW_ERROR_MESSAGE_SIZE];     /**< what happened, for people (end users included); never SQL, paths or driver text */
  char detail[CW_ERROR_DETAIL_SIZE];       /**< the raw text behind message (SQL, paths, driver or Telnyx text): for logs only, never for end users; "" when none */
} cw_error;

/**
 * Resets `err` to CW_OK and empty texts (every byte zero). NULL is a no-op. Returns nothing.
 */
CW_API void cw_error_clear(cw_error *err);

/* ---- output buffers -------------------------------------------------------- */

/**
 * An output buffer owned by callwire once filled. `ptr` holds `size` bytes
 * followed by a NUL (so JSON and CSV can be used as C strings). Release with
 * cw_buf_dispose(); it is then zeroed and may be reused.
 */
typedef struct cw_buf {
  char *ptr;
  size_t size;
  size_t reserved; /**< internal; do not touch */
} cw_buf;

#define CW_BUF_INIT {NULL, 0, 0}

/**
 * Frees the data of a buffer callwire filled and zeroes `buf`, which may then be reused. NULL, an
 * empty buffer or one callwire did not fill (its data is left alone) are no-ops. Returns nothing.
 * Any thread; not concurrently with another use of the same buffer.
 */
CW_API void cw_buf_dispose(cw_buf *buf);

/* ---- utilities ------------------------------------------------------------- */

/**
 * Normalises the phone number `input` to E.164 ("+1 (212) 555-1234" → "+12125551234") into *out
 * (release with cw_buf_dispose(); left empty on failure). No I/O; any thread. Returns CW_OK;
 * CW_EINVAL for a NULL out or input, or with a message that says why the number is not one (too
 * short, letters, …).
 */
CW_API int cw_phone_normalize(cw_buf *out, const char *input, cw_error *err);

/* ---- logging ---------------------------------------------------------------- */

/*
 * The library logs what no return code carries — connections refused at a
 * limit, a handler that failed, the storage detail behind an error, carrier
 * retries — by default as one line per record on stderr, at CW_LOG_INFO and
 * above:
 *
 *   2026-11-26T10:22:45.123Z WARN  http: read: end of stream (127.0.0.1:53122)
 *
 * cw_log_set_handler() sends the records to the host's own logging instead.
 */

/** Severities, lowest first. As a threshold, CW_LOG_OFF lets nothing through. */
typedef enum cw_log_level {
  CW_LOG_TRACE = 0,
  CW_LOG_DEBUG = 1,
  CW_LOG_INFO = 2,
  CW_LOG_WARN = 3,
  CW_LOG_ERROR = 4,
  CW_LOG_OFF = 5
} cw_log_level;

#define CW_LOG_RECORD_VERSION 1
/**
 * One log record, valid only during the callback (copy what you keep). The
 * library fills it; members are only ever added at the end, with a higher
 * `version`: read a member added later only when `version` says it is there.
 */
typedef struct cw_log_record {
  unsigned version;        /**< CW_LOG_RECORD_VERSION of the library that logged (1 or more) */
  int level;               /**< a cw_log_level */
  int64_t time_ms;         /**< when it was logged: milliseconds since 1970-01-01T00:00:00Z */
  const char *component;   /**< the part of callwire: "http", "ws", "client", "auth", "sqlite", … */
  const char *message;     /**< UTF-8, one line, NUL-terminated */
  size_t message_len;      /**< strlen(message) */
  const char *request_id;  /**< the HTTP request it belongs to (a cw_server's X-Request-Id); "" when none */
} cw_log_record;

/**
 * A log callback. Called on the thread that logs — one of callwire's
 * network, worker or timer threads, or the host's own thread inside a cw_*
 * call — one record at a time for the whole process (calls are serialised).
 * It must return quickly and must not block: a host whose logging may block
 * (an interpreter lock, a socket, a JavaScript thread) queues the record and
 * returns. It must not call cw_log_set_handler() (CW_ECONFLICT); a record
 * logged by a cw_* call made from inside the callback, on the same thread,
 * goes to stderr instead of re-entering it.
 */
typedef void (*cw_log_cb)(void *user_data, const cw_log_record *record);

/**
 * Sends every record at `level` and above to `callback(user_data, record)`,
 * process-wide, replacing the previous callback. A NULL callback restores the
 * default output (stderr, as above) at `level`; CW_LOG_OFF silences the
 * library. When it returns, the previous callback is not running and will
 * not be called again, so its user_data may be freed.
 *
 * Returns CW_OK; CW_EINVAL for a level that is not a cw_log_level (nothing
 * changes); CW_ECONFLICT when called from inside a log callback (it would
 * wait for itself; nothing changes). Any thread.
 */
CW_API int cw_log_set_handler(cw_log_level level, cw_log_cb callback, void *user_data);

/** Returns the threshold in force: a cw_log_level (CW_LOG_INFO until changed). Any thread. */
CW_API int cw_log_get_level(void);

/* ---- storage ----------------------------------------------------------------- */

/** A database: SQLite file or MongoDB. Thread-safe. */
typedef struct cw_storage cw_storage;

#define CW_STORAGE_OPTIONS_VERSION 1
typedef struct cw_storage_options {
  unsigned version;
  const char *database;      /**< MongoDB database name; NULL: from the URL, else "telnyx_calling" */
  uint32_t timeout_ms;       /**< server selection / busy timeout; 0: 10000 */
  uint32_t max_connections;  /**< 0: 8 */
} cw_storage_options;
#define CW_STORAGE_OPTIONS_INIT {CW_STORAGE_OPTIONS_VERSION, NULL, 0, 0}
/**
 * Fills *opts with the defaults of CW_STORAGE_OPTIONS_INIT for the struct `version` the caller
 * knows (pass CW_STORAGE_OPTIONS_VERSION). For FFI callers that cannot use the macro. Returns
 * CW_OK; CW_EINVAL for a NULL opts; CW_EVERSION for a version of 0 or newer than this library
 * knows (nothing written). No cw_error: the code says it all.
 */
CW_API int cw_storage_options_init(cw_storage_options *opts, unsigned version);

/**
 * Opens storage from `url`: "sqlite:///abs/path.db" (created and migrated if needed) or
 * "mongodb://…" / "mongodb+srv://…". `opts` may be NULL (the defaults). On success *out is a new
 * handle, owned by the caller: free it with cw_storage_free(); clients made from it keep it alive.
 * On failure *out is set to NULL. Blocks until the database answers; any thread. Returns CW_OK;
 * CW_EINVAL (NULL out or url, a URL of no known scheme, a bad option); CW_EVERSION (opts->version
 * unknown); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_storage_open(cw_storage **out, const char *url, const cw_storage_options *opts, cw_error *err);
/**
 * Frees the handle `storage` (the database stays open while clients made from it live). NULL is a
 * no-op. Returns nothing. Not while another thread uses the same handle.
 */
CW_API void cw_storage_free(cw_storage *storage);
/**
 * What `storage` is: {"backend", "location", "schema_version", "tables": [{"name", "indexes"}]}
 * into *out. On success *out holds the JSON (release it with cw_buf_dispose()); on failure it is
 * left empty. Returns CW_OK; CW_EINVAL (NULL out or storage); CW_EUNAVAILABLE, CW_ESTORAGE (the
 * database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_storage_info(cw_buf *out, cw_storage *storage, cw_error *err);

/* Contacts. Contact JSON: {id, name, phone, email, category, is_favorite, notes, created_at, updated_at}. */

/**
 * Creates a contact from `contact_json` ({name, phone} required; email, category, is_favorite,
 * notes) in `storage`; *out gets the stored Contact. On success *out holds the JSON (release it
 * with cw_buf_dispose()); on failure it is left empty. Returns CW_OK; CW_EINVAL (NULL out, storage
 * or contact_json, or a field that is not valid: the message starts with "contact_json.<field>");
 * CW_EMALFORMED (not JSON); CW_ECONFLICT (a contact with that id exists); CW_EUNAVAILABLE,
 * CW_ESTORAGE (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_contacts_create(cw_buf *out, cw_storage *storage, const char *contact_json, cw_error *err);
/**
 * The Contact with this `id` in `storage` into *out. On success *out holds the JSON (release it
 * with cw_buf_dispose()); on failure it is left empty. Returns CW_OK; CW_EINVAL (NULL out, storage
 * or id); CW_ENOTFOUND (no such contact); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain
 * CW_DOMAIN_STORAGE).
 */
CW_API int cw_contacts_get(cw_buf *out, cw_storage *storage, const char *id, cw_error *err);
/**
 * Contacts of `storage` matching `filter_json` (NULL: all) — {search, category, favorites_only,
 * limit, offset} — into *out as an array. On success *out holds the JSON (release it with
 * cw_buf_dispose()); on failure it is left empty. Returns CW_OK; CW_EINVAL (NULL out or storage, a
 * filter field that is not valid); CW_EMALFORMED (filter_json is not JSON); CW_EUNAVAILABLE,
 * CW_ESTORAGE (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_contacts_list(cw_buf *out, cw_storage *storage, const char *filter_json, cw_error *err);
/**
 * Changes the fields present in `patch_json` of the contact `id` in `storage`; *out gets the
 * updated Contact. On success *out holds the JSON (release it with cw_buf_dispose()); on failure
 * it is left empty. Returns CW_OK; CW_EINVAL (NULL out, storage, id or patch_json, a field that is
 * not valid); CW_EMALFORMED (not JSON); CW_ENOTFOUND (no such contact); CW_EUNAVAILABLE,
 * CW_ESTORAGE (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_contacts_update(cw_buf *out, cw_storage *storage, const char *id, const char *patch_json, cw_error *err);
/**
 * Removes the contact `id` from `storage`. Returns CW_OK; CW_EINVAL (NULL storage or id);
 * CW_ENOTFOUND (no such contact); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain
 * CW_DOMAIN_STORAGE).
 */
CW_API int cw_contacts_remove(cw_storage *storage, const char *id, cw_error *err);
/**
 * Flips is_favorite of the contact `id` in `storage`; *out gets the Contact. On success *out holds
 * the JSON (release it with cw_buf_dispose()); on failure it is left empty. Returns CW_OK;
 * CW_EINVAL (NULL out, storage or id); CW_ENOTFOUND (no such contact); CW_ECONFLICT (changed
 * concurrently too often; try again); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain
 * CW_DOMAIN_STORAGE).
 */
CW_API int cw_contacts_toggle_favorite(cw_buf *out, cw_storage *storage, const char *id, cw_error *err);

/* Call logs. filter_json (NULL: all): {search, status, from, to, limit, offset}. */

/**
 * The logged Call `call_id` of `storage` into *out. On success *out holds the JSON (release it
 * with cw_buf_dispose()); on failure it is left empty. Returns CW_OK; CW_EINVAL (NULL out, storage
 * or call_id); CW_ENOTFOUND (no such call); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain
 * CW_DOMAIN_STORAGE).
 */
CW_API int cw_logs_get(cw_buf *out, cw_storage *storage, const char *call_id, cw_error *err);
/**
 * Calls of `storage` matching `filter_json` (see above), newest first, into *out as an array
 * (limit defaults to 50). On success *out holds the JSON (release it with cw_buf_dispose()); on
 * failure it is left empty. Returns CW_OK; CW_EINVAL (NULL out or storage, a filter field that is
 * not valid); CW_EMALFORMED (filter_json is not JSON); CW_EUNAVAILABLE, CW_ESTORAGE (the database;
 * domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_logs_list(cw_buf *out, cw_storage *storage, const char *filter_json, cw_error *err);
/**
 * Statistics of the calls of `storage` matching `filter_json` — {total_calls, completed_calls,
 * failed_calls, average_duration, answer_rate, by_status, per_day, …} — into *out. On success *out
 * holds the JSON (release it with cw_buf_dispose()); on failure it is left empty. Returns CW_OK;
 * CW_EINVAL (NULL out or storage, a filter field that is not valid); CW_EMALFORMED (filter_json is
 * not JSON); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_logs_stats(cw_buf *out, cw_storage *storage, const char *filter_json, cw_error *err);
/**
 * The calls of `storage` matching `filter_json` as CSV (header line first, CRLF line ends) into
 * *out (release with cw_buf_dispose(); left empty on failure). Returns CW_OK; CW_EINVAL (NULL out
 * or storage, a filter field that is not valid); CW_EMALFORMED (filter_json is not JSON);
 * CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_logs_export_csv(cw_buf *out, cw_storage *storage, const char *filter_json, cw_error *err);

/* Recordings. Recording JSON: {id, call_id, url, duration, format, channels, created_at,
 * remote_delete_error ("" unless Telnyx did not delete it when asked: why, a sentence), …}. */

/**
 * Recordings of `storage`, newest first, a page given by `filter_json` (NULL: the first 50) —
 * {limit, offset} — into *out as an array. On success *out holds the JSON (release it with
 * cw_buf_dispose()); on failure it is left empty. Returns CW_OK; CW_EINVAL (NULL out or storage, a
 * bad limit or offset); CW_EMALFORMED (filter_json is not JSON); CW_EUNAVAILABLE, CW_ESTORAGE (the
 * database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_recordings_list(cw_buf *out, cw_storage *storage, const char *filter_json, cw_error *err);
/**
 * The recordings of the call `call_id` in `storage` into *out as an array. On success *out holds
 * the JSON (release it with cw_buf_dispose()); on failure it is left empty. Returns CW_OK;
 * CW_EINVAL (NULL out, storage or call_id); CW_ENOTFOUND (no such call); CW_EUNAVAILABLE,
 * CW_ESTORAGE (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_recordings_list_for_call(cw_buf *out, cw_storage *storage, const char *call_id, cw_error *err);
/**
 * Removes the stored record `recording_id` from `storage` only (and not its demo WAV file): Telnyx
 * keeps its copy. To remove a recording at Telnyx too, use cw_client_remove_recording. Returns
 * CW_OK; CW_EINVAL (NULL storage or recording_id); CW_ENOTFOUND (no such recording);
 * CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_recordings_remove(cw_storage *storage, const char *recording_id, cw_error *err);

/* Caller-ID numbers. PhoneNumber JSON: {id, number, name, status, is_default, created_at}. */

/**
 * The caller-ID numbers of `storage` into *out as an array. On success *out holds the JSON
 * (release it with cw_buf_dispose()); on failure it is left empty. Returns CW_OK; CW_EINVAL (NULL
 * out or storage); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_numbers_list(cw_buf *out, cw_storage *storage, cw_error *err);
/**
 * Creates a caller-ID number from `number_json` — {number (required), name, is_default} — to
 * `storage`; *out gets the stored PhoneNumber. On success *out holds the JSON (release it with
 * cw_buf_dispose()); on failure it is left empty. Returns CW_OK; CW_EINVAL (NULL out, storage or
 * number_json; no number, or one that is not E.164); CW_EMALFORMED (not JSON); CW_ECONFLICT (the
 * number is already in the list); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain
 * CW_DOMAIN_STORAGE).
 */
CW_API int cw_numbers_create(cw_buf *out, cw_storage *storage, const char *number_json, cw_error *err);
/**
 * Removes the caller-ID number `id` from `storage`. Returns CW_OK; CW_EINVAL (NULL storage or id);
 * CW_ENOTFOUND (no such number); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain
 * CW_DOMAIN_STORAGE).
 */
CW_API int cw_numbers_remove(cw_storage *storage, const char *id, cw_error *err);
/**
 * Makes the number `id` of `storage` the default (and no other); *out gets it. On success *out
 * holds the JSON (release it with cw_buf_dispose()); on failure it is left empty. Returns CW_OK;
 * CW_EINVAL (NULL out, storage or id); CW_ENOTFOUND (no such number); CW_EUNAVAILABLE, CW_ESTORAGE
 * (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_numbers_set_default(cw_buf *out, cw_storage *storage, const char *id, cw_error *err);

/* Provider settings. Settings JSON: {api_key, api_v2_key, webhook_url, connection_id, public_key, api_base, auto_record,
 * recording_channels ("single" / "dual"; in force "dual" until saved otherwise), demo_mode}. */

/**
 * The saved settings of `storage` into *out; secrets masked ("****abcd") unless `masked` is 0. On
 * success *out holds the JSON (release it with cw_buf_dispose()); on failure it is left empty.
 * Returns CW_OK; CW_EINVAL (NULL out or storage); CW_EUNAVAILABLE, CW_ESTORAGE (the database;
 * domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_settings_get(cw_buf *out, cw_storage *storage, int masked, cw_error *err);
/**
 * Saves the fields present in `settings_json` to `storage` (a masked secret sent back keeps the
 * stored one), validated whole first; *out gets them, masked. On success *out holds the JSON
 * (release it with cw_buf_dispose()); on failure it is left empty. Returns CW_OK; CW_EINVAL (NULL
 * out, storage or settings_json, a field that is not valid: nothing is stored); CW_EMALFORMED (not
 * JSON); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_settings_save(cw_buf *out, cw_storage *storage, const char *settings_json, cw_error *err);

/*
 * Users: the accounts of the people who sign in to a callwire server (the
 * `users` and `user_presence` tables; docs/storage.md). User JSON:
 *   {id, email, name, role ("admin" | "agent"),
 *    status ("available" | "busy" | "wrap_up" | "away" | "offline"),
 *    default_number_id (a caller-ID number's id, or null), disabled,
 *    token_version, created_at, updated_at, last_login_at (null until the
 *    first sign-in)}.
 * It never holds a password or its hash: passwords are hashed with Argon2id
 * (19 MiB, 2 passes, 1 lane: the defaults the server uses too) and never
 * stored, answered, logged or put into a cw_error in clear.
 *
 * An email is unique ignoring ASCII case ("Ann@X.io" and "ann@x.io" are one
 * account). A password is 8 to 1024 bytes of UTF-8.
 *
 * Common to every cw_users_* function:
 *   CW_OK;
 *   CW_EINVAL     NULL out, storage or a required string (the message names
 *                 it: "id must not be NULL"), or a field that is not valid (the
 *                 message starts with the field: "user_json.role: must be one
 *                 of admin, agent (got 'boss')", "password: must be at least
 *                 8 characters long");
 *   CW_EMALFORMED user_json / patch_json is not JSON;
 *   CW_ENOTFOUND  no user with that id ("user <id> not found");
 *   CW_EUNAVAILABLE, CW_ESTORAGE  the database (domain CW_DOMAIN_STORAGE).
 * On failure *out is left empty. Input strings are only read during the
 * call. Thread-safe; each call blocks until the database answers, and those
 * that hash or verify a password (create, set_password, check_password,
 * authenticate) also spend about 25 ms of one core on Argon2id: call them off
 * a UI or event-loop thread.
 *
 * These are storage functions: they do not apply the REST API's rules about
 * who may do what (an administrator, a user's own password or status) or its
 * rule that the team keeps one administrator who can sign in; the host that
 * calls them decides.
 */

/**
 * Adds a user from user_json: {email, name, password (all required), role
 * ("admin" or "agent"; default "agent"), default_number_id}. Answers the
 * stored User (status "offline", token_version 0). CW_EINVAL for an email
 * that is not one, an empty name, a password shorter than 8 or longer than
 * 1024 bytes, an unknown role; CW_ECONFLICT "An account with this email
 * already exists." when the email is taken (ignoring case).
 * Into *out (release with cw_buf_dispose()) for `storage` from `user_json`. Returns CW_OK; the
 * codes above (CW_EINVAL, CW_EUNAVAILABLE, CW_ESTORAGE, CW_EMALFORMED); CW_ECONFLICT for a taken
 * email.
 */
CW_API int cw_users_create(cw_buf *out, cw_storage *storage, const char *user_json, cw_error *err);
/**
 * The User with this id. CW_ENOTFOUND when there is none.
 * Into *out (release with cw_buf_dispose()), from `storage`, by `id`. Returns CW_OK; CW_EINVAL,
 * CW_EUNAVAILABLE, CW_ESTORAGE; CW_ENOTFOUND.
 */
CW_API int cw_users_get(cw_buf *out, cw_storage *storage, const char *id, cw_error *err);
/**
 * The User with this email, ignoring ASCII case and surrounding spaces; the
 * JSON text `null` (and CW_OK) when no account has it.
 * Into *out (release with cw_buf_dispose()), from `storage`, by `email`. Returns CW_OK (a user or
 * `null`); CW_EINVAL, CW_EUNAVAILABLE, CW_ESTORAGE.
 */
CW_API int cw_users_find_by_email(cw_buf *out, cw_storage *storage, const char *email, cw_error *err);
/**
 * Every user, oldest first (created_at, then id): an array.
 * Into *out (release with cw_buf_dispose()), from `storage`. Returns CW_OK; CW_EINVAL,
 * CW_EUNAVAILABLE, CW_ESTORAGE.
 */
CW_API int cw_users_list(cw_buf *out, cw_storage *storage, cw_error *err);
/**
 * Changes the fields present in patch_json: {email, name, role,
 * default_number_id ("" clears it), disabled}; the others, and fields that
 * are null, keep their value. Disabling a user raises token_version (their tokens stop working).
 * Answers the updated User. CW_EINVAL as cw_users_create (an empty name
 * included) and nothing changes; CW_ECONFLICT when the new email is taken.
 * Into *out (release with cw_buf_dispose()): the user `id` of `storage`, by `patch_json`. Returns
 * CW_OK; CW_EINVAL, CW_EUNAVAILABLE, CW_ESTORAGE, CW_EMALFORMED; CW_ENOTFOUND; CW_ECONFLICT.
 */
CW_API int cw_users_update(cw_buf *out, cw_storage *storage, const char *id, const char *patch_json, cw_error *err);
/**
 * Removes the user `id` of `storage` and their presence. Returns CW_OK; CW_EINVAL (NULL storage
 * or id); CW_ENOTFOUND (no such user); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain
 * CW_DOMAIN_STORAGE).
 */
CW_API int cw_users_remove(cw_storage *storage, const char *id, cw_error *err);
/**
 * Sets the status a user sets themself: "available" or "away" (the REST
 * API's rule for PUT /api/users/me/status). Any other value is CW_EINVAL —
 * "busy", "wrap_up" and "offline" follow the user's calls and WebSockets on a
 * running server. Answers the User. A server running on the same database
 * learns of the change on its next update of that user.
 * Into *out (release with cw_buf_dispose()): the user `id` of `storage`, `status` as above.
 * Returns CW_OK; CW_EINVAL, CW_EUNAVAILABLE, CW_ESTORAGE; CW_ENOTFOUND.
 */
CW_API int cw_users_set_status(cw_buf *out, cw_storage *storage, const char *id, const char *status, cw_error *err);
/**
 * Replaces the password (8 to 1024 bytes of UTF-8, else CW_EINVAL) and raises
 * token_version, so every token issued to the user stops working. Answers
 * the User.
 * Into *out (release with cw_buf_dispose()): the user `id` of `storage`, `new_password` as above.
 * Returns CW_OK; CW_EINVAL, CW_EUNAVAILABLE, CW_ESTORAGE; CW_ENOTFOUND.
 */
CW_API int cw_users_set_password(cw_buf *out, cw_storage *storage, const char *id, const char *new_password,
                                 cw_error *err);
/**
 * Sets *out to 1 when `password` is the user's, else 0 — also for an unknown
 * id, which costs the same Argon2id verification (so the answer's time does
 * not tell whether the id exists). *out is 0 on failure. Does not sign the
 * user in (see cw_users_authenticate) and ignores `disabled`.
 * `out` an int, `storage`, the user `id` and the `password` to check. Returns CW_OK (the answer is
 * *out); CW_EINVAL, CW_EUNAVAILABLE, CW_ESTORAGE.
 */
CW_API int cw_users_check_password(int *out, cw_storage *storage, const char *id, const char *password,
                                   cw_error *err);
/**
 * Signs in: answers the User whose email (ignoring case) and password these
 * are, with last_login_at set to now. Answers the JSON text `null`, with
 * CW_OK, alike for an unknown email, a wrong password and a disabled account
 * (test `out.ptr` against "null", not only the code); an unknown email costs
 * one Argon2id verification as a wrong password does, so the time does not
 * tell them apart either. A password hashed with other Argon2id parameters
 * is re-hashed with the current ones. Throttling repeated failures is the
 * caller's.
 * Into *out (release with cw_buf_dispose()), from `storage`, by `email` and `password`. Returns
 * CW_OK (a user or `null`); CW_EINVAL, CW_EUNAVAILABLE, CW_ESTORAGE.
 */
CW_API int cw_users_authenticate(cw_buf *out, cw_storage *storage, const char *email, const char *password,
                                 cw_error *err);
/**
 * Raises token_version: every token issued to the user so far stops working (sign-out). Answers the User.
 * Into *out (release with cw_buf_dispose()): the user `id` of `storage`. Returns CW_OK; CW_EINVAL,
 * CW_EUNAVAILABLE, CW_ESTORAGE; CW_ENOTFOUND.
 */
CW_API int cw_users_revoke_tokens(cw_buf *out, cw_storage *storage, const char *id, cw_error *err);

/* ---- the call client --------------------------------------------------------- */

/** Places and follows calls. Thread-safe. */
typedef struct cw_client cw_client;

#define CW_CLIENT_OPTIONS_VERSION 1
typedef struct cw_client_options {
  unsigned version;
  const char *api_key;         /**< Telnyx API key; NULL/"" (and none saved): demo mode */
  const char *api_base;        /**< NULL: https://api.telnyx.com/v2 */
  const char *connection_id;
  const char *webhook_url;
  const char *public_key;      /**< base64 Ed25519 key that verifies webhooks */
  const char *ca_file;         /**< extra trusted CAs (PEM) for the carrier's TLS */
  int force_demo;              /**< nonzero: demo mode even with a key */
  int insecure_webhooks;       /**< nonzero: do not require webhook signatures (development only) */
  double demo_speed;           /**< 0: 1.0 (real time); 10: ten times faster */
  const char *recordings_dir;  /**< demo recordings; NULL: beside the SQLite file */
  int auto_record;             /**< nonzero: record every call */
  uint32_t hangup_wait_ms;     /**< how long hangup waits for the carrier's hangup; 0: 5000 */
  uint32_t io_threads;         /**< 0: 1 */
  uint32_t worker_threads;     /**< 0: 2 */
} cw_client_options;
#define CW_CLIENT_OPTIONS_INIT {CW_CLIENT_OPTIONS_VERSION, NULL, NULL, NULL, NULL, NULL, NULL, 0, 0, 0.0, NULL, 0, 0, 0, 0}
/**
 * Fills *opts with the defaults of CW_CLIENT_OPTIONS_INIT for the struct `version` the caller
 * knows (pass CW_CLIENT_OPTIONS_VERSION). Returns CW_OK; CW_EINVAL for a NULL opts; CW_EVERSION
 * for a version of 0 or newer than this library knows (nothing written).
 */
CW_API int cw_client_options_init(cw_client_options *opts, unsigned version);

/**
 * Starts a client on `storage` (which it keeps alive) with `opts` (NULL: the defaults). Calls left
 * live by an earlier process are reconciled. On success *out is a new handle owned by the caller:
 * free it with cw_client_free() (after cw_client_close(), or let free close it); on failure *out
 * is NULL. Blocks while it reads the saved settings; any thread. Returns CW_OK; CW_EINVAL (NULL
 * out or storage, an option that is not valid, e.g. a negative demo_speed); CW_EVERSION
 * (opts->version unknown); CW_EUNAVAILABLE, CW_ESTORAGE (the database; domain CW_DOMAIN_STORAGE).
 */
CW_API int cw_client_new(cw_client **out, cw_storage *storage, const cw_client_options *opts, cw_error *err);
/**
 * Stops timers and the carrier of `client` and joins its threads; later calls on the handle give
 * CW_ECLOSED, and no event callback runs again. Idempotent. The handle stays valid until
 * cw_client_free(). Returns CW_OK; CW_EINVAL (NULL client); CW_ECONFLICT from an event callback
 * (it would wait for its own thread).
 */
CW_API int cw_client_close(cw_client *client, cw_error *err);
/**
 * Frees the handle `client`: its subscriptions end at once (as cw_client_unsubscribe), then the
 * client is closed — or, while servers made from it exist, keeps running for them until the last
 * is freed. NULL is a no-op. Called from an event callback, the closing happens on another thread
 * after it returns. Returns nothing.
 */
CW_API void cw_client_free(cw_client *client);

/**
 * Returns 1 when `client` is in demo mode, 0 in live mode, CW_EINVAL for a NULL handle.
 */
CW_API int cw_client_is_demo(cw_client *client);

/* Calls. Each answers a Call JSON object: {call_id, call_control_id, call_leg_id, call_session_id,
 * connection_id, to_number, from_number, direction, status, status_text, created_at, updated_at,
 * ringing_at, answered_at, ended_at, duration, hangup_cause, hangup_source, failure_reason,
 * machine_detection, machine_greeting, contact_id, agent_id, contact_name, recording_id, recording,
 * recording_paused, muted, on_hold, demo, record_from_answer, recording_error} — every key always
 * present, as in docs/openapi.yaml's Call (a test keeps this list in step with the codec). Among
 * them machine_detection (the answering machine detection's result) and machine_greeting (how a
 * machine's greeting ended: beep_detected, ended, not_sure, no_beep_detected; "" when no such
 * event came), and record_from_answer (the dial asked Telnyx to record from the answer: auto_record
 * or the dial's record; "recording" is then true from the answer until the end or the saved
 * recording) and recording_error (why a recording failed, call.recording.error: "Telnyx could not
 * save the recording: <reason>"; "" when none did). */

/**
 * Dials `to` (E.164 after normalisation) from `from` (NULL or "": the default caller-ID number) on
 * `client`. options_json may be NULL or {record, answering_machine_detection,
 * answering_machine_detection_config, connection_id, contact_id, agent_id}:
 * answering_machine_detection is a Telnyx mode ("detect", "detect_beep", "detect_words",
 * "greeting_end", "premium", "disabled") or true (detect) / false (disabled);
 * answering_machine_detection_config an object of its thresholds (whole numbers, 0 or more; only
 * with a mode); agent_id the user who places the call (Call.agent_id). Returns at once with the
 * call `dialing` in *out; progress, and a carrier's refusal (status failed), arrive as events. On
 * success *out holds the JSON (release it with cw_buf_dispose()); on failure it is left empty.
 * Returns CW_OK; CW_EINVAL (NULL out, client or to; a number that is not one, no caller-ID number,
 * a mode, threshold or agent_id that is not one: the message names the field); CW_EMALFORMED
 * (options_json is not JSON); CW_ECLOSED (after cw_client_close()); CW_ESTORAGE, CW_EUNAVAILABLE
 * (the database).
 */
CW_API int cw_client_dial(cw_buf *out, cw_client *client, const char *to, const char *from, const char *options_json,
                          cw_error *err);
/**
 * Hangs up the call `call_id` of `client` and waits (up to hangup_wait_ms) for the final call,
 * with its duration, into *out. On success *out holds the JSON (release it with cw_buf_dispose());
 * on failure it is left empty. Blocks; any thread, an event callback included. Returns CW_OK;
 * CW_EINVAL (NULL out, client or call_id); CW_ENOTFOUND (no call with that id); CW_ECLOSED (after
 * cw_client_close()); CW_ESTORAGE, CW_EUNAVAILABLE (the database); CW_ECARRIER (the carrier
 * refused: cw_error.http_status, carrier_code), CW_EUNAVAILABLE, CW_ETIMEOUT, CW_ETLS (the carrier
 * could not be reached).
 */
CW_API int cw_client_hangup(cw_buf *out, cw_client *client, const char *call_id, cw_error *err);
/**
 * Sends the DTMF `digits` on the call `call_id` of `client`; *out gets the Call. On success *out
 * holds the JSON (release it with cw_buf_dispose()); on failure it is left empty. Blocks until the
 * carrier answers. Returns CW_OK; CW_EINVAL (NULL out, client or call_id); CW_ENOTFOUND (no call
 * with that id); CW_ECLOSED (after cw_client_close()); CW_ESTORAGE, CW_EUNAVAILABLE (the
 * database), or NULL digits or ones that are not DTMF (CW_EINVAL, the message says which are);
 * CW_ECONFLICT (the call has ended, or the carrier has not acknowledged it yet); CW_ECARRIER (the
 * carrier refused: cw_error.http_status, carrier_code), CW_EUNAVAILABLE, CW_ETIMEOUT, CW_ETLS (the
 * carrier could not be reached).
 */
CW_API int cw_client_send_dtmf(cw_buf *out, cw_client *client, const char *call_id, const char *digits, cw_error *err);
/**
 * Starts recording the call `call_id` of `client` (Telnyx record_start); *out gets the Call,
 * "recording" true. On success *out holds the JSON (release it with cw_buf_dispose()); on failure
 * it is left empty. Blocks until the carrier answers. Returns CW_OK; CW_EINVAL (NULL out, client
 * or call_id); CW_ENOTFOUND (no call with that id); CW_ECLOSED (after cw_client_close());
 * CW_ESTORAGE, CW_EUNAVAILABLE (the database); CW_ECONFLICT (not answered yet, or ended);
 * CW_ECARRIER (the carrier refused: cw_error.http_status, carrier_code), CW_EUNAVAILABLE,
 * CW_ETIMEOUT, CW_ETLS (the carrier could not be reached).
 */
CW_API int cw_client_start_recording(cw_buf *out, cw_client *client, const char *call_id, cw_error *err);
/**
 * Stops recording the call `call_id` of `client` (Telnyx record_stop); *out gets the Call. The
 * recording arrives later (call.recording.saved). On success *out holds the JSON (release it with
 * cw_buf_dispose()); on failure it is left empty. Blocks until the carrier answers. Returns CW_OK;
 * CW_EINVAL (NULL out, client or call_id); CW_ENOTFOUND (no call with that id); CW_ECLOSED (after
 * cw_client_close()); CW_ESTORAGE, CW_EUNAVAILABLE (the database); CW_ECONFLICT (not answered yet,
 * or ended); CW_ECARRIER (the carrier refused: cw_error.http_status, carrier_code),
 * CW_EUNAVAILABLE, CW_ETIMEOUT, CW_ETLS (the carrier could not be reached).
 */
CW_API int cw_client_stop_recording(cw_buf *out, cw_client *client, const char *call_id, cw_error *err);
/**
 * A Recording JSON object whose `url` works now. Telnyx's recording URLs
 * expire 10 minutes after the webhook that carried them: for a recording of
 * a live call this asks Telnyx for a fresh one and stores it. A demo
 * recording is answered as stored. CW_ENOTFOUND for an unknown id,
 * CW_EUNAVAILABLE when no Telnyx key is configured or Telnyx is unreachable,
 * CW_ECARRIER when Telnyx refuses; the stored URL is kept on failure.
 * Into *out (release with cw_buf_dispose(); left empty on failure): the recording `recording_id`
 * of `client`. Returns CW_OK; CW_EINVAL (NULL out, client or recording_id); CW_ECLOSED (after
 * cw_client_close()); CW_ESTORAGE (the database); and the codes above. Blocks until Telnyx
 * answers.
 */
CW_API int cw_client_refresh_recording(cw_buf *out, cw_client *client, const char *recording_id, cw_error *err);
/**
 * Removes a recording here and where it is stored. A recording of a live
 * call is deleted at Telnyx first (DELETE /v2/recordings/{id}); its 200, or a
 * 404 (Telnyx no longer has it), deletes the stored record. When Telnyx does
 * not delete it, the record is kept with "remote_delete_error" set to a
 * sentence saying why — the same sentence as err->message — and the call
 * fails: CW_EUNAVAILABLE when Telnyx cannot now (5xx after retries, no
 * answer), CW_ECARRIER when it refuses (e.g. 401), both in the carrier domain
 * with err->http_status and err->carrier_code. A demo recording is deleted
 * here only, with its WAV file. CW_ENOTFOUND for an unknown id;
 * CW_EUNAVAILABLE (nothing changed, nothing marked) when a live recording is
 * to be deleted and no Telnyx key is configured. Blocks until Telnyx answers;
 * any thread. cw_recordings_remove, on a storage handle, removes the stored
 * record only.
 * `client` and the `recording_id` to delete. Returns CW_OK; CW_EINVAL (NULL client or
 * recording_id); CW_ECLOSED (after cw_client_close()); CW_ESTORAGE (the database); and the codes
 * above.
 */
CW_API int cw_client_remove_recording(cw_client *client, const char *recording_id, cw_error *err);
/**
 * Transfers the call `call_id` of `client` to `to` (E.164 after normalisation); *out gets the
 * Call. On success *out holds the JSON (release it with cw_buf_dispose()); on failure it is left
 * empty. Blocks until the carrier answers. Returns CW_OK; CW_EINVAL (NULL out, client or call_id);
 * CW_ENOTFOUND (no call with that id); CW_ECLOSED (after cw_client_close()); CW_ESTORAGE,
 * CW_EUNAVAILABLE (the database), or a NULL to or one that is no phone number (CW_EINVAL);
 * CW_ECONFLICT (the call has ended, or the carrier has not acknowledged it yet); CW_ECARRIER (the
 * carrier refused: cw_error.http_status, carrier_code), CW_EUNAVAILABLE, CW_ETIMEOUT, CW_ETLS (the
 * carrier could not be reached).
 */
CW_API int cw_client_transfer(cw_buf *out, cw_client *client, const char *call_id, const char *to, cw_error *err);
/**
 * Mutes (`muted` nonzero) or unmutes what the far end hears of the call `call_id` of `client`;
 * *out gets the Call with "muted". On success *out holds the JSON (release it with
 * cw_buf_dispose()); on failure it is left empty. Blocks until the carrier answers. Returns CW_OK;
 * CW_EINVAL (NULL out, client or call_id); CW_ENOTFOUND (no call with that id); CW_ECLOSED (after
 * cw_client_close()); CW_ESTORAGE, CW_EUNAVAILABLE (the database); CW_ECONFLICT (the call has
 * ended, or the carrier has not acknowledged it yet); CW_ECARRIER (the carrier refused:
 * cw_error.http_status, carrier_code), CW_EUNAVAILABLE, CW_ETIMEOUT, CW_ETLS (the carrier could
 * not be reached).
 */
CW_API int cw_client_set_muted(cw_buf *out, cw_client *client, const char *call_id, int muted, cw_error *err);
/**
 * Puts the call `call_id` of `client` on hold (`on_hold` nonzero: the far end hears hold music) or
 * takes it off; *out gets the Call with "on_hold". On success *out holds the JSON (release it with
 * cw_buf_dispose()); on failure it is left empty. Blocks until the carrier answers. Returns CW_OK;
 * CW_EINVAL (NULL out, client or call_id); CW_ENOTFOUND (no call with that id); CW_ECLOSED (after
 * cw_client_close()); CW_ESTORAGE, CW_EUNAVAILABLE (the database); CW_ECONFLICT (the call has
 * ended, or the carrier has not acknowledged it yet); CW_ECARRIER (the carrier refused:
 * cw_error.http_status, carrier_code), CW_EUNAVAILABLE, CW_ETIMEOUT, CW_ETLS (the carrier could
 * not be reached).
 */
CW_API int cw_client_set_on_hold(cw_buf *out, cw_client *client, const char *call_id, int on_hold, cw_error *err);

/*
 * Controls of an active call: recording pause and resume, speech, audio
 * playback. Each sends one Telnyx Call Control command (record_pause,
 * record_resume, speak, playback_start, playback_stop) — or, in demo mode,
 * to the simulated call — and blocks the calling thread until the carrier
 * answers. They may be called from any thread, an event callback included.
 *
 * On success *out gets the Call JSON object (owned by the caller: release
 * it with cw_buf_dispose()); on failure *out is left empty and *err (if not
 * NULL) says why. Return codes, the same for all five:
 *   CW_OK;
 *   CW_EINVAL     NULL out, client or call_id (or text / audio_url), or a
 *                 value Telnyx would refuse — nothing is sent (cw_error.message
 *                 names the field: "voice: …", "audio_url: …");
 *   CW_ENOTFOUND  no call with that id;
 *   CW_ECONFLICT  the call is not active (not answered yet, or ended), or the
 *                 carrier has not acknowledged it yet;
 *   CW_ECARRIER   the carrier refused (cw_error.http_status, carrier_code);
 *   CW_EUNAVAILABLE, CW_ETIMEOUT, CW_ETLS  the carrier could not be reached;
 *   CW_ESTORAGE   the database failed;
 *   CW_ECLOSED    after cw_client_close().
 * Input strings are only read during the call.
 */

/**
 * Pauses the recording in progress (Telnyx record_pause). The Call's
 * "recording_paused" is true from then until cw_client_resume_recording,
 * cw_client_stop_recording or cw_client_start_recording.
 * Into *out (release with cw_buf_dispose()): the Call `call_id` of `client`. Returns CW_OK or a
 * code of the list above (CW_EINVAL, CW_ENOTFOUND, CW_ECONFLICT, CW_ECARRIER, CW_EUNAVAILABLE,
 * CW_ETIMEOUT, CW_ETLS, CW_ESTORAGE, CW_ECLOSED).
 */
CW_API int cw_client_pause_recording(cw_buf *out, cw_client *client, const char *call_id, cw_error *err);
/**
 * Resumes a paused recording (Telnyx record_resume); "recording_paused" is false again.
 * Into *out (release with cw_buf_dispose()): the Call `call_id` of `client`. Returns CW_OK or a
 * code of the list above (CW_EINVAL, CW_ENOTFOUND, CW_ECONFLICT, CW_ECARRIER, CW_EUNAVAILABLE,
 * CW_ETIMEOUT, CW_ETLS, CW_ESTORAGE, CW_ECLOSED).
 */
CW_API int cw_client_resume_recording(cw_buf *out, cw_client *client, const char *call_id, cw_error *err);
/**
 * Speaks `text` (UTF-8, 1 to 3000 characters; SSML with payload_type
 * "ssml") on the call. options_json may be NULL or {voice, language,
 * payload_type}, each optional:
 *   voice         "female" (the default) or "male" — Telnyx's basic voices,
 *                 which speak en-US and plain text only — or a provider voice
 *                 "<Provider>.<Model>.<VoiceId>" of AWS, Azure, ElevenLabs,
 *                 Telnyx, Minimax, Rime or Resemble (e.g.
 *                 "AWS.Polly.Joanna-Neural"; the provider alone takes its
 *                 default voice), or "Polly.<VoiceId>";
 *   language      one of Telnyx's languages ("en-US", "de-DE", "arb", …);
 *                 en-US by default for male/female, the voice's own otherwise;
 *   payload_type  "text" (the default) or "ssml".
 * Any other value gives CW_EINVAL. The Call does not change; the carrier
 * reports call.speak.started and call.speak.ended (stored with the call's events).
 * Into *out (release with cw_buf_dispose()): the Call `call_id` of `client`; `text` and
 * `options_json` as above. Returns CW_OK or a code of the list above (CW_EINVAL, CW_ENOTFOUND,
 * CW_ECONFLICT, CW_ECARRIER, CW_EUNAVAILABLE, CW_ETIMEOUT, CW_ETLS, CW_ESTORAGE, CW_ECLOSED).
 */
CW_API int cw_client_speak(cw_buf *out, cw_client *client, const char *call_id, const char *text,
                           const char *options_json, cw_error *err);
/**
 * Plays the MP3 or WAV file at `audio_url` (an http:// or https:// URL) on
 * the call (Telnyx playback_start), e.g. a voicemail message. The carrier
 * reports call.playback.started and call.playback.ended.
 * Into *out (release with cw_buf_dispose()): the Call `call_id` of `client`; `audio_url` as above.
 * Returns CW_OK or a code of the list above (CW_EINVAL, CW_ENOTFOUND, CW_ECONFLICT, CW_ECARRIER,
 * CW_EUNAVAILABLE, CW_ETIMEOUT, CW_ETLS, CW_ESTORAGE, CW_ECLOSED).
 */
CW_API int cw_client_start_playback(cw_buf *out, cw_client *client, const char *call_id, const char *audio_url,
                                    cw_error *err);
/**
 * Stops the audio playing and clears the queued files (Telnyx playback_stop).
 * Into *out (release with cw_buf_dispose()): the Call `call_id` of `client`. Returns CW_OK or a
 * code of the list above (CW_EINVAL, CW_ENOTFOUND, CW_ECONFLICT, CW_ECARRIER, CW_EUNAVAILABLE,
 * CW_ETIMEOUT, CW_ETLS, CW_ESTORAGE, CW_ECLOSED).
 */
CW_API int cw_client_stop_playback(cw_buf *out, cw_client *client, const char *call_id, cw_error *err);

/**
 * The Call `call_id` of `client` (live or ended) into *out. On success *out holds the JSON
 * (release it with cw_buf_dispose()); on failure it is left empty. Returns CW_OK; CW_EINVAL (NULL
 * out, client or call_id); CW_ENOTFOUND (no call with that id); CW_ECLOSED (after
 * cw_client_close()); CW_ESTORAGE, CW_EUNAVAILABLE (the database).
 */
CW_API int cw_client_get_call(cw_buf *out, cw_client *client, const char *call_id, cw_error *err);
/**
 * The live calls (dialing, ringing, active) of `client`, newest first, into *out as an array. On
 * success *out holds the JSON (release it with cw_buf_dispose()); on failure it is left empty.
 * Returns CW_OK; CW_EINVAL (NULL out or client); CW_ECLOSED (after cw_client_close());
 * CW_ESTORAGE, CW_EUNAVAILABLE (the database).
 */
CW_API int cw_client_active_calls(cw_buf *out, cw_client *client, cw_error *err);
/**
 * The statistics of all calls of `client` (as cw_logs_stats with no filter) into *out. On success
 * *out holds the JSON (release it with cw_buf_dispose()); on failure it is left empty. Returns
 * CW_OK; CW_EINVAL (NULL out or client); CW_ECLOSED (after cw_client_close()); CW_ESTORAGE,
 * CW_EUNAVAILABLE (the database).
 */
CW_API int cw_client_stats(cw_buf *out, cw_client *client, cw_error *err);
/**
 * The effective settings of `client` (options merged with saved ones), secrets masked, plus "mode"
 * ("demo" or "live"), into *out. On success *out holds the JSON (release it with
 * cw_buf_dispose()); on failure it is left empty. Returns CW_OK; CW_EINVAL (NULL out or client);
 * CW_ECLOSED (after cw_client_close()).
 */
CW_API int cw_client_settings(cw_buf *out, cw_client *client, cw_error *err);
/**
 * Re-reads the saved settings of `client` and switches demo/live mode if they changed. Returns
 * CW_OK; CW_EINVAL (NULL client, or saved settings that are not valid); CW_ECLOSED (after
 * cw_client_close()); CW_ESTORAGE, CW_EUNAVAILABLE (the database).
 */
CW_API int cw_client_reload_settings(cw_client *client, cw_error *err);

/**
 * A call-update callback (the C++ CallUpdate). `type` is "call.created", "call.updated" or
 * "call.ended"; `call_json` is the whole Call (NUL-terminated, valid only
 * during the call). Called on one of the client's worker threads — never the
 * thread that called cw_client_subscribe() unless it is one — one callback at
 * a time for the whole client, and in order for each call. It may call other
 * cw_client_* functions (including cw_client_hangup and cw_client_unsubscribe,
 * of its own id too) and cw_storage ones; cw_client_close gives CW_ECONFLICT
 * there. It should return quickly.
 */
typedef void (*cw_update_cb)(void *userdata, const char *type, const char *call_json, size_t call_json_len);

/**
 * Registers `callback`, called with `userdata` for every call update of `client` (see cw_update_cb: which
 * thread, in which order); *out_id identifies it for cw_client_unsubscribe(). `userdata` must stay
 * valid until cw_client_unsubscribe() returns (or the client is closed). Returns CW_OK; CW_EINVAL
 * (NULL out_id, client or callback); CW_ECLOSED (after cw_client_close()).
 */
CW_API int cw_client_subscribe(uint64_t *out_id, cw_client *client, cw_update_cb callback, void *userdata,
                               cw_error *err);
/**
 * Removes the callback `id` from `client`. When it returns, the callback is not running and will
 * not run again (so its userdata may be freed). Called from inside that same callback it returns
 * at once and the callback finishes normally. Returns CW_OK; CW_EINVAL (NULL client); CW_ENOTFOUND
 * for an unknown id; CW_ECLOSED after cw_client_close (when no callback runs any more anyway).
 */
CW_API int cw_client_unsubscribe(cw_client *client, uint64_t id, cw_error *err);

/** One HTTP header. */
typedef struct cw_header {
  const char *name;
  const char *value;
} cw_header;

/**
 * For hosts with their own HTTP server: verifies (when required), parses,
 * stores and folds one Telnyx webhook from its raw bytes and headers (names
 * case-insensitive). *out gets {http_status, duplicate, event_type, call_id,
 * message}: answer Telnyx with http_status. Returns CW_OK when the event was
 * stored (or was a duplicate), else CW_EUNAUTHORIZED (signature),
 * CW_EMALFORMED (body) or CW_EUNAVAILABLE (storage down: Telnyx will retry) —
 * *out is filled in every case.
 * `client` ingests `body` (`body_len` bytes, not NUL-terminated; NULL only with body_len 0) with
 * `headers` (`header_count` of them; NULL only with 0); *out (release with cw_buf_dispose()). Also
 * CW_EINVAL for a NULL out or client, a NULL body or headers with a count, or a header without a
 * name (*out then empty), and CW_ECLOSED after cw_client_close(). Any thread; blocks until the
 * event is stored.
 */
CW_API int cw_client_ingest_webhook(cw_buf *out, cw_client *client, const char *body, size_t body_len,
                                    const cw_header *headers, size_t header_count, cw_error *err);

/* ---- the server ------------------------------------------------------------------ */

/** HTTP + WebSocket front door of a client (webhooks, WebSocket, REST API, static folder). */
typedef struct cw_server cw_server;

/* Version 2 added allowed_hosts and metrics_token. */
#define CW_SERVER_OPTIONS_VERSION 2
typedef struct cw_server_options {
  unsigned version;
  const char *host;            /**< NULL: "127.0.0.1" */
  uint16_t port;               /**< 0: a free port (see cw_server_port) */
  int rest_api;                /**< nonzero: mount the REST API, /health and /metrics (INIT sets 1) */
  const char *static_dir;      /**< serve this folder at /; NULL: none */
  const char *cors_origins;    /**< comma-separated allowed origins; NULL: none */
  const char *jwt_secret;      /**< HS256 bearer tokens on the /api and /ws paths; NULL: no auth */
  int allow_public_without_auth; /**< nonzero: allow a non-loopback host without jwt_secret */
  size_t body_limit;           /**< 0: 1 MiB */
  uint32_t threads;            /**< network threads; 0: 2 */
  uint32_t worker_threads;     /**< 0: 4 */
  /* ---- version 2 ---- */
  /**
   * Comma-separated host names clients may send in `Host` besides loopback
   * names and the bound address (others get 421: DNS rebinding); ".example.com"
   * also allows its subdomains, "*" any host. The client's webhook URL's host is
   * always allowed. NULL: none. A public deployment lists its name here.
   */
  const char *allowed_hosts;
  /** GET /metrics needs `Authorization: Bearer <metrics_token>`; NULL: loopback clients only. */
  const char *metrics_token;
} cw_server_options;
#define CW_SERVER_OPTIONS_INIT {CW_SERVER_OPTIONS_VERSION, NULL, 0, 1, NULL, NULL, NULL, 0, 0, 0, 0, NULL, NULL}
/**
 * Fills *opts with the defaults of CW_SERVER_OPTIONS_INIT for the struct `version` the caller
 * knows (1 or CW_SERVER_OPTIONS_VERSION; a version-1 struct is written only up to its end).
 * Returns CW_OK; CW_EINVAL for a NULL opts; CW_EVERSION for a version of 0 or newer than this
 * library knows (nothing written).
 */
CW_API int cw_server_options_init(cw_server_options *opts, unsigned version);

/**
 * A server for `client` (kept alive by it) with `opts` (NULL: CW_SERVER_OPTIONS_INIT). Not
 * listening until cw_server_start(). On success *out is a new handle owned by the caller: free it
 * with cw_server_free(); on failure *out is NULL. Returns CW_OK; CW_EINVAL (NULL out or client; a
 * public host without jwt_secret unless allow_public_without_auth, a jwt_secret that is too short,
 * a static_dir that is no folder); CW_EVERSION (opts->version unknown); CW_ECLOSED (the client is
 * closed).
 */
CW_API int cw_server_new(cw_server **out, cw_client *client, const cw_server_options *opts, cw_error *err);
/**
 * Binds `server` and starts serving; returns at once. Returns CW_OK; CW_EINVAL (NULL server);
 * CW_ECONFLICT (already started); CW_ECLOSED (stopped before: a server does not restart; or its
 * client is closed); CW_EUNAVAILABLE (the address cannot be bound).
 */
CW_API int cw_server_start(cw_server *server, cw_error *err);
/**
 * Sets *out to the port `server` is bound to (after cw_server_start()); 0 on failure. Returns
 * CW_OK; CW_EINVAL (NULL out or server); CW_ECONFLICT (not started, or stopped).
 */
CW_API int cw_server_port(uint16_t *out, cw_server *server, cw_error *err);
/**
 * Stops `server`: stops accepting, finishes requests in flight, closes WebSockets. Idempotent;
 * blocks until done. Returns CW_OK; CW_EINVAL (NULL server).
 */
CW_API int cw_server_stop(cw_server *server, cw_error *err);
/**
 * Stops `server` (if needed) and frees it. NULL is a no-op. Returns nothing.
 */
CW_API void cw_server_free(cw_server *server);

#ifdef __cplusplus
}
#endif

#endif /* CALLWIRE_H */
