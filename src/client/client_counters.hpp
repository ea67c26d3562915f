// ClientCounters: the counters CallClient reports for /metrics
// (CallClient::Counters), shared by the parts that count. Each is a relaxed
// atomic: a reading is a snapshot, not a consistent cut across counters.
#pragma once

#include <atomic>
#include <cstdint>

namespace callwire::client {

struct ClientCounters {
  std::atomic<std::uint64_t> webhooks_received{0};
  std::atomic<std::uint64_t> webhooks_duplicate{0};
  std::atomic<std::uint64_t> webhooks_rejected{0};
  std::atomic<std::uint64_t> webhooks_pending{0};
  std::atomic<std::uint64_t> ingest_commits{0};
  std::atomic<std::uint64_t> carrier_errors{0};
  std::atomic<std::uint64_t> dials{0};
  std::atomic<std::uint64_t> reconciled{0};
};

}  // namespace callwire::client
