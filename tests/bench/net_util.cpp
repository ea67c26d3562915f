#include "net_util.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

#include "bench_common.hpp"

namespace callwire::bench {

namespace {

int connect_loopback(int port, int rcvbuf = 0) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::runtime_error(std::string("socket(): ") + std::strerror(errno));
  if (rcvbuf > 0) ::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    const int e = errno;
    ::close(fd);
    errno = e;
    return -1;
  }
  const int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

bool wait_fd(int fd, short events, int timeout_ms) {
  pollfd p{fd, events, 0};
  for (;;) {
    const int r = ::poll(&p, 1, timeout_ms);
    if (r < 0 && errno == EINTR) continue;
    return r > 0;
  }
}

void write_all(int fd, std::string_view data, int timeout_ms) {
  while (!data.empty()) {
    const ssize_t n = ::send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      if (!wait_fd(fd, POLLOUT, timeout_ms)) throw std::runtime_error("write timed out");
      continue;
    }
    throw std::runtime_error(std::string("send(): ") + std::strerror(errno));
  }
}

// Reads more bytes into buf; false on EOF. Throws on errors and timeouts.
bool read_more(int fd, std::string& buf, int timeout_ms) {
  char tmp[65536];
  for (;;) {
    const ssize_t n = ::recv(fd, tmp, sizeof tmp, 0);
    if (n > 0) {
      buf.append(tmp, static_cast<std::size_t>(n));
      return true;
    }
    if (n == 0) return false;
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      if (!wait_fd(fd, POLLIN, timeout_ms)) throw std::runtime_error("read timed out");
      continue;
    }
    throw std::runtime_error(std::string("recv(): ") + std::strerror(errno));
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::string make_request(std::string_view method, std::string_view target,
                         const std::vector<std::pair<std::string, std::string>>& headers, std::string_view body) {
  std::string r;
  r.reserve(256 + body.size());
  r.append(method).append(" ").append(target).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  for (const auto& [k, v] : headers) r.append(k).append(": ").append(v).append("\r\n");
  if (!body.empty() || method == "POST" || method == "PUT") {
    r.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n");
  }
  r.append("\r\n").append(body);
  return r;
}

// ---- HttpConn ------------------------------------------------------------------

HttpConn::HttpConn(int port, int timeout_ms) : port_(port), timeout_ms_(timeout_ms) { connect_now(); }

HttpConn::~HttpConn() { close_now(); }

void HttpConn::connect_now() {
  fd_ = connect_loopback(port_);
  if (fd_ < 0) throw std::runtime_error("connect to 127.0.0.1:" + std::to_string(port_) + ": " + std::strerror(errno));
  ++connects_;
  buf_.clear();
}

void HttpConn::close_now() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
}

int HttpConn::exchange(std::string_view request, std::string* body) {
  if (fd_ < 0) connect_now();
  write_all(fd_, request, timeout_ms_);
  // Head.
  std::size_t head_end;
  while ((head_end = buf_.find("\r\n\r\n")) == std::string::npos) {
    if (!read_more(fd_, buf_, timeout_ms_)) throw std::runtime_error("connection closed before the response");
  }
  const std::string head = buf_.substr(0, head_end);
  buf_.erase(0, head_end + 4);
  if (head.size() < 12 || head.compare(0, 5, "HTTP/") != 0) throw std::runtime_error("bad status line: " + head.substr(0, 40));
  const int status = std::atoi(head.c_str() + 9);
  std::size_t content_length = 0;
  bool chunked = false;
  bool close_after = false;
  std::size_t pos = head.find("\r\n");
  while (pos != std::string::npos) {
    const std::size_t next = head.find("\r\n", pos + 2);
    const std::string line = head.substr(pos + 2, next == std::string::npos ? std::string::npos : next - pos - 2);
    const auto colon = line.find(':');
    if (colon != std::string::npos) {
      const std::string name = lower(line.substr(0, colon));
      std::string value = line.substr(colon + 1);
      while (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (name == "content-length") content_length = static_cast<std::size_t>(std::stoull(value));
      else if (name == "transfer-encoding" && lower(value).find("chunked") != std::string::npos) chunked = true;
      else if (name == "connection" && lower(value).find("close") != std::string::npos) close_after = true;
    }
    pos = next;
  }
  std::string out;
  if (chunked) {
    for (;;) {
      std::size_t eol;
      while ((eol = buf_.find("\r\n")) == std::string::npos) {
        if (!read_more(fd_, buf_, timeout_ms_)) throw std::runtime_error("connection closed in a chunk");
      }
      const std::size_t size = std::stoul(buf_.substr(0, eol), nullptr, 16);
      while (buf_.size() < eol + 2 + size + 2) {
        if (!read_more(fd_, buf_, timeout_ms_)) throw std::runtime_error("connection closed in a chunk");
      }
      out.append(buf_, eol + 2, size);
      buf_.erase(0, eol + 2 + size + 2);
      if (size == 0) break;
    }
  } else {
    while (buf_.size() < content_length) {
      if (!read_more(fd_, buf_, timeout_ms_)) throw std::runtime_error("connection closed in the body");
    }
    out = buf_.substr(0, content_length);
    buf_.erase(0, content_length);
  }
  if (body != nullptr) *body = std::move(out);
  if (close_after) close_now();
  return status;
}

int http_get_once(int port, std::string_view target, std::string* body, int timeout_ms) {
  const int fd = connect_loopback(port);
  if (fd < 0) return 0;
  ::close(fd);
  try {
    HttpConn c(port, timeout_ms);
    return c.exchange(make_request("GET", target, {{"Connection", "close"}}), body);
  } catch (const std::exception&) {
    return 0;
  }
}

// ---- WsFleet ----------------------------------------------------------------------

struct WsFleet::Client {
  int fd = -1;
  bool stalled = false;
  bool closed = false;
  int close_code = 0;
  std::string buf;      // unparsed bytes
  std::string message;  // text being reassembled from continuation frames
  std::uint64_t messages = 0;
};

WsFleet::WsFleet() : epfd_(::epoll_create1(EPOLL_CLOEXEC)) {
  if (epfd_ < 0) throw std::runtime_error("epoll_create1 failed");
}

WsFleet::~WsFleet() {
  for (auto& c : clients_) {
    if (c->fd >= 0) ::close(c->fd);
  }
  ::close(epfd_);
}

std::size_t WsFleet::add(int port, const std::string& target, int rcvbuf, bool stalled) {
  auto c = std::make_unique<Client>();
  c->stalled = stalled;
  c->fd = connect_loopback(port, rcvbuf);
  if (c->fd < 0) throw std::runtime_error("WebSocket connect: " + std::string(std::strerror(errno)));
  const std::string req = "GET " + target +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                          "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
  write_all(c->fd, req, 10000);
  std::size_t end;
  while ((end = c->buf.find("\r\n\r\n")) == std::string::npos) {
    if (!read_more(c->fd, c->buf, 10000)) throw std::runtime_error("WebSocket upgrade: connection closed");
  }
  if (c->buf.compare(0, 12, "HTTP/1.1 101") != 0) {
    throw std::runtime_error("WebSocket upgrade refused: " + c->buf.substr(0, c->buf.find("\r\n")));
  }
  c->buf.erase(0, end + 4);  // frames that came with the answer stay
  ::fcntl(c->fd, F_SETFL, ::fcntl(c->fd, F_GETFL) | O_NONBLOCK);
  const std::size_t index = clients_.size();
  if (!stalled) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = index;
    ::epoll_ctl(epfd_, EPOLL_CTL_ADD, c->fd, &ev);
  }
  clients_.push_back(std::move(c));
  return index;
}

bool WsFleet::pump(std::size_t index, const OnMessage* on_message, std::int64_t recv_ns) {
  // Parse every complete frame in c.buf.
  Client& c = *clients_[index];
  std::size_t off = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(c.buf.data());
  for (;;) {
    const std::size_t avail = c.buf.size() - off;
    if (avail < 2) break;
    const unsigned b0 = p[off], b1 = p[off + 1];
    const bool fin = (b0 & 0x80) != 0;
    const unsigned opcode = b0 & 0x0f;
    std::size_t hdr = 2;
    std::uint64_t len = b1 & 0x7f;
    if (len == 126) {
      if (avail < 4) break;
      len = (std::uint64_t{p[off + 2]} << 8) | p[off + 3];
      hdr = 4;
    } else if (len == 127) {
      if (avail < 10) break;
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | p[off + 2 + static_cast<std::size_t>(i)];
      hdr = 10;
    }
    if ((b1 & 0x80) != 0) hdr += 4;  // servers must not mask; tolerate it anyway
    if (avail < hdr + len) break;
    const std::string_view payload(c.buf.data() + off + hdr, static_cast<std::size_t>(len));
    off += hdr + static_cast<std::size_t>(len);
    if (opcode == 0x1 || opcode == 0x0) {
      c.message.append(payload);
      if (fin) {
        ++c.messages;
        total_.fetch_add(1, std::memory_order_relaxed);
        if (on_message != nullptr && *on_message) (*on_message)(index, c.message, recv_ns);
        c.message.clear();
      }
    } else if (opcode == 0x9) {  // ping → pong (masked, as a client must)
      std::string pong;
      pong += static_cast<char>(0x8A);
      pong += static_cast<char>(0x80 | (payload.size() & 0x7f));
      const unsigned char mask[4] = {1, 2, 3, 4};
      pong.append(reinterpret_cast<const char*>(mask), 4);
      for (std::size_t i = 0; i < payload.size(); ++i) pong += static_cast<char>(payload[i] ^ mask[i % 4]);
      try {
        write_all(c.fd, pong, 1000);
      } catch (const std::exception&) {
      }
    } else if (opcode == 0x8) {
      c.close_code = payload.size() >= 2 ? (static_cast<unsigned char>(payload[0]) << 8) | static_cast<unsigned char>(payload[1]) : 1005;
      c.closed = true;
      break;
    }
  }
  c.buf.erase(0, off);
  return !c.closed;
}

void WsFleet::run(const OnMessage& on_message) {
  std::vector<epoll_event> events(256);
  std::size_t open = 0;
  for (const auto& c : clients_) open += c->stalled ? 0 : 1;
  char tmp[65536];
  // Frames that arrived with the upgrade answer.
  for (std::size_t i = 0; i < clients_.size(); ++i) {
    if (clients_[i]->stalled || clients_[i]->buf.empty()) continue;
    pump(i, &on_message, steady_ns());
  }
  while (!stop_ && open > 0) {
    const int n = ::epoll_wait(epfd_, events.data(), static_cast<int>(events.size()), 50);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error("epoll_wait failed");
    }
    for (int k = 0; k < n; ++k) {
      const std::size_t i = static_cast<std::size_t>(events[static_cast<std::size_t>(k)].data.u64);
      auto& c = *clients_[i];
      if (c.closed) continue;
      bool eof = false;
      for (;;) {
        const ssize_t r = ::recv(c.fd, tmp, sizeof tmp, 0);
        if (r > 0) {
          c.buf.append(tmp, static_cast<std::size_t>(r));
          if (static_cast<std::size_t>(r) < sizeof tmp) break;
          continue;
        }
        if (r == 0) eof = true;
        else if (errno == EINTR) continue;
        else if (errno != EAGAIN && errno != EWOULDBLOCK) eof = true;
        break;
      }
      const bool alive = pump(i, &on_message, steady_ns());
      if (!alive || eof) {
        if (!c.closed) {
          c.closed = true;
          c.close_code = -1;
        }
        ::epoll_ctl(epfd_, EPOLL_CTL_DEL, c.fd, nullptr);
        --open;
      }
    }
  }
}

int WsFleet::drain_stalled(std::size_t i, int timeout_ms, std::uint64_t* messages) {
  auto& c = *clients_.at(i);
  const auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  char tmp[65536];
  while (!c.closed && Clock::now() < deadline) {
    const ssize_t r = ::recv(c.fd, tmp, sizeof tmp, 0);
    if (r > 0) {
      c.buf.append(tmp, static_cast<std::size_t>(r));
      pump(i, nullptr, 0);
      continue;
    }
    if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
      if (!c.closed) {
        c.closed = true;
        c.close_code = -1;
      }
      break;
    }
    wait_fd(c.fd, POLLIN, 50);
  }
  if (messages != nullptr) *messages = c.messages;
  return c.closed ? c.close_code : 0;
}

int WsFleet::close_code(std::size_t i) const { return clients_.at(i)->close_code; }
bool WsFleet::closed(std::size_t i) const { return clients_.at(i)->closed; }
std::uint64_t WsFleet::messages(std::size_t i) const { return clients_.at(i)->messages; }

}  // namespace callwire::bench
