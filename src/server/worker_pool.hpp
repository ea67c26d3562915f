// callwire — a fixed-size pool of threads for blocking work (internal).
//
// Storage calls block; they run here, never on the network threads
// (DESIGN.md, "Threading"). A handler posts a job that does the blocking work
// and answers through its Responder:
//
//   router.get("/api/contacts", [&](const Request& req, Responder res) {
//     pool.post([&, res] { res.send(Response::json(json::encode(contacts.list()))); });
//   });
//
// Jobs run in FIFO order on `threads` threads. An exception escaping a job is
// logged and swallowed (the thread keeps serving). With `max_queued` > 0,
// post() refuses jobs once that many are waiting (the host answers 503).
//
// Thread-safety: every member may be called from any thread, except that
// shutdown() and the destructor must not run on one of the pool's own threads
// (they join them): that throws Error(internal).
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "callwire/error.hpp"

namespace callwire::server {

class WorkerPool {
 public:
  using Job = std::function<void()>;

  /// Starts `threads` threads (at least one). `name` tags log lines and
  /// names the threads "cw-<name>-<n>" (support/thread_name.hpp).
  explicit WorkerPool(std::size_t threads, std::string name = "worker", std::size_t max_queued = 0);
  ~WorkerPool();  ///< shutdown(true)

  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  /// Queues a job. False (and the job is destroyed unrun) after shutdown or
  /// when the queue is full. Posted inside a log::RequestScope, the job runs
  /// inside one with the same request id.
  bool post(Job job);

  /// post() with a future for the job's result (or exception). A refused job
  /// gives a future holding Error(unavailable).
  template <class F>
  auto submit(F f) -> std::future<std::invoke_result_t<F&>> {
    using R = std::invoke_result_t<F&>;
    auto task = std::make_shared<std::packaged_task<R()>>(std::move(f));
    auto fut = task->get_future();
    if (!post([task] { (*task)(); })) {
      std::promise<R> refused;
      refused.set_exception(std::make_exception_ptr(Error(errc::unavailable, "worker pool is not accepting jobs")));
      return refused.get_future();
    }
    return fut;
  }

  /// Stops accepting jobs, then either runs the queued ones (drain = true) or
  /// destroys them unrun, and joins the threads. Idempotent.
  void shutdown(bool drain = true);

  std::size_t thread_count() const noexcept { return threads_.size(); }
  /// Jobs waiting (not yet started).
  std::size_t queued() const;
  /// True when the calling thread is one of this pool's threads.
  bool running_in_pool() const noexcept;

 private:
  void run();

  std::string name_;
  std::size_t max_queued_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  bool drain_ = true;
  std::vector<std::thread> threads_;
  std::mutex join_mutex_;
};

}  // namespace callwire::server
