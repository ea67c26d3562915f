#include "server/worker_pool.hpp"

#include <algorithm>
#include <exception>

#include "support/log.hpp"
#include "support/thread_name.hpp"

namespace callwire::server {

WorkerPool::WorkerPool(std::size_t threads, std::string name, std::size_t max_queued)
    : name_(std::move(name)), max_queued_(max_queued) {
  threads = std::max<std::size_t>(threads, 1);
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) {
    threads_.emplace_back([this, i] {
      support::set_current_thread_name("cw-" + name_ + "-" + std::to_string(i));
      run();
    });
  }
}

WorkerPool::~WorkerPool() {
  try {
    shutdown(true);
  } catch (const std::exception& e) {
    log::print(log::Level::error, name_, "pool destroyed from its own thread: ", e.what());
    std::terminate();
  }
}

bool WorkerPool::post(Job job) {
  if (!job) return false;
  // A job posted while handling a request logs with that request's id.
  if (auto id = log::current_request_id(); !id.empty()) {
    job = [id = std::string(id), inner = std::move(job)] {
      log::RequestScope scope(id);
      inner();
    };
  }
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    if (max_queued_ > 0 && jobs_.size() >= max_queued_) return false;
    jobs_.push_back(std::move(job));
  }
  cv_.notify_one();
  return true;
}

void WorkerPool::shutdown(bool drain) {
  if (running_in_pool()) throw Error(errc::internal, "WorkerPool::shutdown called from one of its own threads");
  std::deque<Job> discarded;
  {
    std::lock_guard lock(mutex_);
    if (!stopping_) {
      stopping_ = true;
      drain_ = drain;
    }
    if (!drain_) discarded.swap(jobs_);
  }
  cv_.notify_all();
  discarded.clear();  // destroy unrun jobs outside the lock
  std::lock_guard join_lock(join_mutex_);
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
}

std::size_t WorkerPool::queued() const {
  std::lock_guard lock(mutex_);
  return jobs_.size();
}

bool WorkerPool::running_in_pool() const noexcept {
  const auto self = std::this_thread::get_id();
  for (const auto& t : threads_) {
    if (t.get_id() == self) return true;
  }
  return false;
}

void WorkerPool::run() {
  while (true) {
    Job job;
    {
      std::unique_lock lock(mutex_);
      cv_.wait(lock, [&] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty() || (stopping_ && !drain_)) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    try {
      job();
    } catch (const std::exception& e) {
      log::print(log::Level::error, name_, "job threw: ", e.what());
    } catch (...) {
      log::write(log::Level::error, name_, "job threw a non-standard exception");
    }
  }
}

}  // namespace callwire::server
