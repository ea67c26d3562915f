// IngestPipeline: parse, queue, group commit, acknowledge (see
// ingest_pipeline.hpp).
#include "client/ingest_pipeline.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "callwire/error.hpp"
#include "callwire/webhook.hpp"
#include "client/client_state.hpp"
#include "client/exception_text.hpp"
#include "support/log.hpp"
#include "support/thread_name.hpp"

namespace callwire::client {

namespace {
// The pipeline whose writer runs on this thread.
thread_local const IngestPipeline* writer_of_this_thread = nullptr;
}  // namespace

struct IngestPipeline::Pending {
  CallEvent event;
  IngestResult result;
  Done done;
};

IngestPipeline::IngestPipeline(LogStore& logs, CallTracker& tracker, ClientCounters& counters, std::size_t batch_max)
    : logs_(logs), tracker_(tracker), counters_(counters), batch_max_(std::max<std::size_t>(1, batch_max)) {}

IngestPipeline::~IngestPipeline() { stop(); }

void IngestPipeline::start() {
  thread_ = std::thread([this] {
    support::set_current_thread_name("cw-ingest");
    writer();
  });
}

bool IngestPipeline::on_writer_thread() const { return writer_of_this_thread == this; }

void IngestPipeline::submit(std::string_view body, Done done) {
  IngestResult result;
  telnyx::ParseFailure failure{};
  auto event = telnyx::parse_webhook(body, &failure);
  if (!event) {
    ++counters_.webhooks_rejected;
    result.code = errc::malformed;
    result.message = failure.message;
    done(std::move(result));
    return;
  }
  result.event_type = event->event_type;
  auto p = std::make_unique<Pending>();
  p->event = std::move(*event);
  p->result = std::move(result);
  p->done = std::move(done);
  bool wake = false;
  {
    std::lock_guard lock(mu_);
    if (!stopped_) {
      queue_.push_back(std::move(p));
      ++counters_.webhooks_pending;
      // One wake-up per batch: only an idle writer is notified.
      wake = writer_idle_;
      writer_idle_ = false;
    }
  }
  if (wake) cv_.notify_one();
  if (p) {  // stopped: nothing can be stored any more
    p->result.code = errc::closed;
    p->result.message = "the call client is closed";
    p->done(std::move(p->result));
  }
}

void IngestPipeline::stop() {
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

// One batch at a time, in queue order; sleeps only when the queue is empty.
// Exits once stop() was called and the queue is drained.
void IngestPipeline::writer() {
  writer_of_this_thread = this;
  std::vector<std::unique_ptr<Pending>> owned;
  std::vector<Pending*> batch;
  std::unique_lock lock(mu_);
  for (;;) {
    if (queue_.empty()) {
      if (stopped_) return;
      writer_idle_ = true;
      cv_.wait(lock, [this] { return !queue_.empty() || stopped_; });
      writer_idle_ = false;
      continue;
    }
    const std::size_t n = std::min(queue_.size(), batch_max_);
    owned.clear();
    batch.clear();
    for (std::size_t i = 0; i < n; ++i) {
      owned.push_back(std::move(queue_.front()));
      queue_.pop_front();
      batch.push_back(owned.back().get());
    }
    lock.unlock();
    try {
      write_batch(batch);
    } catch (...) {  // only out of memory gets here; a redelivery is folded again either way
      for (auto* b : batch) {
        b->result.code = errc::unavailable;
        b->result.message = "storing the webhook failed";
      }
    }
    counters_.webhooks_pending -= batch.size();
    for (auto* b : batch) {
      try {
        b->done(std::move(b->result));
      } catch (const std::exception& e) {
        log::write(log::Level::error, "client", std::string("a webhook completion callback threw: ") + e.what());
      } catch (...) {
        log::write(log::Level::error, "client", "a webhook completion callback threw a non-standard exception");
      }
    }
    owned.clear();
    lock.lock();
  }
}

void IngestPipeline::write_batch(const std::vector<Pending*>& batch) {
  if (batch.size() > 1 && logs_.atomic_transactions()) {
    if (try_write(batch, /*last_try=*/false)) return;
  }
  // One by one: the retry of a failed batch, and the only mode without
  // atomic transactions (MongoDB), where a failure in the middle of a
  // batch would leave part of it stored.
  for (auto* p : batch) try_write({p}, /*last_try=*/true);
}

// One storage transaction: store each event (the duplicate check), fold it
// into its call (each call read once, inside the transaction), write each
// changed call once. Only after the commit are the results set and the
// updates published. Holds every stripe lock throughout, so no other change
// of these calls (dial results, controls) interleaves and updates stay in
// commit order. False when the transaction failed (results set only when
// last_try).
bool IngestPipeline::try_write(const std::vector<Pending*>& items, bool last_try) {
  struct Outcome {
    bool fresh = false;
    bool foreign_leg = false;  // the call's client_state, another call_control_id
    std::string call_id;
  };
  struct Change {
    Call before;
    Call after;
  };
  std::vector<Outcome> outcomes(items.size());
  std::vector<Change> changes;
  auto held = tracker_.lock_all();
  try {
    // Each call as read in this transaction (stored) and folded so far (now).
    struct Entry {
      Call stored, now;
    };
    std::map<std::string, Entry> calls;
    std::set<std::string> dirty;  // changed, not written yet
    auto write_dirty = [&] {
      for (const auto& id : dirty) {
        auto& e = calls.at(id);
        logs_.update(e.now, e.stored);  // only the fields that changed
        e.stored = e.now;
      }
      dirty.clear();
    };
    auto lookup = [&](const std::string& id) -> Call* {
      if (auto it = calls.find(id); it != calls.end()) return &it->second.now;
      auto c = logs_.find(id);
      if (!c) return nullptr;
      Entry e{*c, std::move(*c)};
      return &calls.emplace(id, std::move(e)).first->second.now;
    };
    logs_.transaction([&] {
      changes.clear();
      for (std::size_t i = 0; i < items.size(); ++i) {
        const CallEvent& e = items[i]->event;
        outcomes[i].fresh = logs_.record_event(e);
        std::string call_id = call_id_from_client_state(e.client_state);
        Call* c = call_id.empty() ? nullptr : lookup(call_id);
        if (c != nullptr && !c->call_control_id.empty() && !e.call_control_id.empty() &&
            e.call_control_id != c->call_control_id) {
          // The call's client_state on another leg (a transfer's, if the
          // carrier copied it): never fold it into this call — a failed leg
          // would end the live call, and its id would replace the call's.
          c = nullptr;
          outcomes[i].foreign_leg = true;
        }
        if (c == nullptr && !e.call_control_id.empty() && !outcomes[i].foreign_leg) {
          write_dirty();  // the query must see this batch's changes
          if (auto found = logs_.find_by_control_id(e.call_control_id)) c = lookup(found->call_id);
        }
        if (c == nullptr) continue;  // an unknown call: the event is recorded, nothing to fold
        outcomes[i].call_id = c->call_id;
        // A duplicate is folded again too: apply() is idempotent, and this
        // heals a call whose update failed after its event was stored.
        const Call before = *c;
        tracker_.fold(*c, e);
        if (!same_call(before, *c)) {
          c->updated_at = tracker_.now();
          changes.push_back({before, *c});
          dirty.insert(c->call_id);
        }
      }
      write_dirty();
    });
  } catch (const std::exception& e) {
    if (!last_try) return false;
    const auto* err = dynamic_cast<const Error*>(&e);
    items.front()->result.code = (err != nullptr && err->code() == errc::invalid_argument) ? errc::malformed : errc::unavailable;
    items.front()->result.message = e.what();
    log::write(log::Level::warn, "client", "storing a webhook failed: " + exception_text(e));
    return false;
  } catch (...) {
    if (!last_try) return false;
    items.front()->result.code = errc::unavailable;
    items.front()->result.message = "storing the webhook failed with a non-standard exception";
    return false;
  }
  ++counters_.ingest_commits;
  bool notify = false;
  const TimePoint heard = tracker_.now();
  for (std::size_t i = 0; i < items.size(); ++i) {
    auto& r = items[i]->result;
    r.duplicate = !outcomes[i].fresh;
    r.call_id = outcomes[i].call_id;
    if (!outcomes[i].fresh) ++counters_.webhooks_duplicate;
    if (!outcomes[i].call_id.empty()) tracker_.live().touch(outcomes[i].call_id, heard);
    notify = notify || outcomes[i].fresh;
  }
  std::vector<CallUpdate> updates;
  updates.reserve(changes.size() + 1);
  for (auto& ch : changes) tracker_.published(ch.after, ch.before, &updates);
  tracker_.publish(std::move(updates));  // still under every stripe lock: commit order
  if (notify || !changes.empty()) tracker_.notify_changed();
  return true;
}

}  // namespace callwire::client
