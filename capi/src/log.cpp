// The log hook: cw_log_set_handler and cw_log_get_level over
// callwire::set_log_handler (callwire/log.hpp).
#include <chrono>
#include <new>
#include <string>

#include "callwire/log.hpp"
#include "internal.hpp"

namespace {

/// Hands one record to the C callback. LogRecord's views need not be
/// NUL-terminated: they are copied into strings that are.
void deliver(cw_log_cb callback, void* user_data, const callwire::LogRecord& r) {
  const std::string component(r.component);
  const std::string message(r.message);
  const std::string request_id(r.request_id);
  cw_log_record c{};
  c.version = CW_LOG_RECORD_VERSION;
  c.level = static_cast<int>(r.level);
  c.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(r.time.time_since_epoch()).count();
  c.component = component.c_str();
  c.message = message.c_str();
  c.message_len = message.size();
  c.request_id = request_id.c_str();
  callback(user_data, &c);
}

}  // namespace

extern "C" {

CW_API int cw_log_set_handler(cw_log_level level, cw_log_cb callback, void* user_data) {
  const int l = static_cast<int>(level);
  if (l < CW_LOG_TRACE || l > CW_LOG_OFF) return CW_EINVAL;
  try {
    callwire::LogHandler handler;
    if (callback != nullptr) {
      handler = [callback, user_data](const callwire::LogRecord& r) { deliver(callback, user_data, r); };
    }
    callwire::set_log_handler(static_cast<callwire::LogLevel>(l), std::move(handler));
    return CW_OK;
  } catch (const callwire::Error& e) {
    return e.code() == callwire::errc::conflict ? CW_ECONFLICT : CW_EINTERNAL;
  } catch (const std::bad_alloc&) {
    return CW_ENOMEM;
  } catch (...) {
    return CW_EINTERNAL;
  }
}

CW_API int cw_log_get_level(void) { return static_cast<int>(callwire::log_level()); }

}  // extern "C"
