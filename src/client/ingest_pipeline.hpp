// IngestPipeline: webhook events from parse to acknowledgement, with
// store-before-acknowledge group commit (DESIGN.md, "A call, end to end",
// step 4; docs/client.md, "Webhook ingest").
//
// submit() parses on the calling thread; a malformed webhook is answered at
// once, there. A parsed one joins the queue. One writer thread ("cw-ingest")
// takes whatever is queued — everything that arrived while the previous
// batch was being written, up to batch_max — and writes it in one storage
// transaction: each event stored (its id is unique: a duplicate is
// acknowledged and folded again, which is idempotent), folded into its call
// through the CallTracker, each changed call written once. Only after the
// commit are the answers given (`done`, on the writer thread) and the
// updates published. A failed batch is retried one webhook at a time, so one
// bad event fails only itself; without atomic transactions (MongoDB) every
// webhook is its own transaction.
//
// Signature checks happen before submit() (signature_policy.hpp).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "callwire/call_client.hpp"
#include "callwire/log_store.hpp"
#include "client/call_tracker.hpp"
#include "client/client_counters.hpp"

namespace callwire::client {

class IngestPipeline {
 public:
  using Done = std::function<void(IngestResult)>;

  IngestPipeline(LogStore& logs, CallTracker& tracker, ClientCounters& counters, std::size_t batch_max);
  ~IngestPipeline();  ///< stop()
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;

  /// Starts the writer thread.
  void start();

  /// Parses one trusted webhook body and queues it; `done` is called exactly
  /// once: at once for a malformed body or a stopped pipeline (closed),
  /// else on the writer thread after its transaction.
  void submit(std::string_view body, Done done);

  /// Refuses new webhooks (closed), writes and answers what is queued,
  /// joins the writer. Idempotent.
  void stop();

  /// True on this pipeline's writer thread (inside a `done` callback).
  bool on_writer_thread() const;

 private:
  struct Pending;
  void writer();
  void write_batch(const std::vector<Pending*>& batch);
  bool try_write(const std::vector<Pending*>& items, bool last_try);

  LogStore& logs_;
  CallTracker& tracker_;
  ClientCounters& counters_;
  const std::size_t batch_max_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<Pending>> queue_;  // guarded by mu_
  bool writer_idle_ = false;                     // guarded by mu_: the writer sleeps on cv_
  bool stopped_ = false;                         // guarded by mu_
  std::thread thread_;
};

}  // namespace callwire::client
