// callwire — names for the threads the SDK starts (internal).
//
// Every thread callwire creates carries a short name, so that `top -H`,
// `ps -L`, gdb, perf and /proc/<pid>/task/*/comm tell them apart:
//
//   cw-ingest      the CallClient's ingest writer (one per client)
//   cw-io-N        the CallClient's carrier I/O and timer threads
//   cw-work-N      the CallClient's worker pool (storage work, callbacks)
//   cw-http-N      the WebhookServer's network threads
//   cw-http-work-N the WebhookServer's worker pool (REST handlers)
//   cw-checkpoint  an SQLite storage handle's WAL checkpointer
//
// Linux keeps at most 15 bytes of a name; longer names are cut. Elsewhere
// (macOS names only the calling thread too) the call may do nothing.
#pragma once

#include <string>
#include <string_view>

namespace callwire::support {

/// Names the calling thread. Never throws; failures are ignored.
void set_current_thread_name(std::string_view name) noexcept;

/// The calling thread's name ("" when the platform cannot tell).
std::string current_thread_name();

}  // namespace callwire::support
