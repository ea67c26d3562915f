// Presence: statuses that follow a user's calls and sockets
// (docs/reference-server.md, "Presence").
#include "server/api/presence.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "core/uuid.hpp"

using namespace callwire;
using namespace std::chrono_literals;

namespace {

class PresenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cw-presence-" + new_uuid_v4());
    std::filesystem::create_directories(dir_);
    storage_.emplace(Storage::open("sqlite://" + (dir_ / "p.db").string()));
    UserStore users(*storage_, {8, 1, 1});
    ann_ = users.create({"ann@example.com", "Ann", "ann-password", UserRole::agent, {}}).id;
    presence_ = std::make_unique<server::Presence>(UserStore(*storage_), server::PresenceOptions{200ms},
                                                   [this](const User& u) {
                                                     std::lock_guard lock(mu_);
                                                     seen_.push_back(u.status);
                                                   });
  }
  void TearDown() override {
    presence_.reset();
    storage_.reset();
    std::filesystem::remove_all(dir_);
  }

  Call call(const std::string& id, CallStatus status, std::optional<std::string> agent) {
    Call c;
    c.call_id = id;
    c.status = status;
    c.agent_id = std::move(agent);
    return c;
  }
  UserStatus stored() { return UserStore(*storage_).get(ann_).status; }
  std::vector<UserStatus> seen() {
    presence_->flush();
    std::lock_guard lock(mu_);
    return seen_;
  }
  /// The status once the wrap-up timer had its chance.
  UserStatus after_wrap_up() {
    std::this_thread::sleep_for(400ms);
    presence_->flush();
    return stored();
  }

  std::filesystem::path dir_;
  std::optional<Storage> storage_;
  std::string ann_;
  std::unique_ptr<server::Presence> presence_;
  std::mutex mu_;
  std::vector<UserStatus> seen_;
};

using S = UserStatus;

TEST_F(PresenceTest, ACallMakesTheAgentBusyThenWrapUpThenAvailable) {
  presence_->socket_opened(ann_);
  EXPECT_EQ(seen(), std::vector<S>{S::available});  // offline until connected
  presence_->call_changed(call("c1", CallStatus::dialing, ann_));
  presence_->call_changed(call("c1", CallStatus::ringing, ann_));
  presence_->call_changed(call("c1", CallStatus::active, ann_));
  EXPECT_EQ(seen(), (std::vector<S>{S::available, S::busy}));  // one change, not one per update
  EXPECT_EQ(stored(), S::busy);
  presence_->call_changed(call("c1", CallStatus::completed, ann_));
  EXPECT_EQ(seen().back(), S::wrap_up);
  EXPECT_EQ(stored(), S::wrap_up);
  EXPECT_EQ(after_wrap_up(), S::available);
  EXPECT_EQ(seen(), (std::vector<S>{S::available, S::busy, S::wrap_up, S::available}));
}

TEST_F(PresenceTest, TwoCallsStayBusyUntilTheLastEnds) {
  presence_->socket_opened(ann_);
  presence_->call_changed(call("c1", CallStatus::active, ann_));
  presence_->call_changed(call("c2", CallStatus::dialing, ann_));
  presence_->call_changed(call("c1", CallStatus::completed, ann_));
  EXPECT_EQ(seen().back(), S::busy);
  presence_->call_changed(call("c2", CallStatus::busy, ann_));
  EXPECT_EQ(seen().back(), S::wrap_up);
}

TEST_F(PresenceTest, AwaySetByTheUserEndsTheWrapUpAndStays) {
  presence_->socket_opened(ann_);
  presence_->call_changed(call("c1", CallStatus::active, ann_));
  presence_->call_changed(call("c1", CallStatus::completed, ann_));
  UserStore(*storage_).set_status(ann_, S::away);  // as PUT /api/users/me/status does
  presence_->set_by_user(ann_, S::away);
  EXPECT_EQ(after_wrap_up(), S::away);
}

TEST_F(PresenceTest, TheLastSocketClosingIsOfflineUnlessACallIsLive) {
  presence_->socket_opened(ann_);
  presence_->socket_opened(ann_);
  presence_->socket_closed(ann_);
  EXPECT_EQ(seen().back(), S::available);  // one tab left
  presence_->call_changed(call("c1", CallStatus::active, ann_));
  presence_->socket_closed(ann_);
  EXPECT_EQ(seen().back(), S::busy);  // the call goes on without the page
  presence_->call_changed(call("c1", CallStatus::completed, ann_));
  EXPECT_EQ(seen().back(), S::offline);  // no wrap-up for someone who left
  EXPECT_EQ(stored(), S::offline);
}

TEST_F(PresenceTest, AUserWithoutSocketsWrapsUpButIsNeverMadeOffline) {
  presence_->call_changed(call("c1", CallStatus::active, ann_));
  presence_->call_changed(call("c1", CallStatus::completed, ann_));
  EXPECT_EQ(after_wrap_up(), S::available);
  EXPECT_EQ(seen(), (std::vector<S>{S::busy, S::wrap_up, S::available}));
}

TEST_F(PresenceTest, CallsWithoutAnAgentOrOfNoUserChangeNothing) {
  presence_->call_changed(call("c1", CallStatus::active, std::nullopt));
  presence_->call_changed(call("c2", CallStatus::active, std::string("no-such-user")));
  presence_->socket_opened("no-such-user");
  EXPECT_TRUE(seen().empty());
  EXPECT_EQ(stored(), S::offline);
}

TEST_F(PresenceTest, StopHandlesWhatIsQueued) {
  presence_->socket_opened(ann_);
  presence_->call_changed(call("c1", CallStatus::active, ann_));
  presence_->stop();
  EXPECT_EQ(stored(), S::busy);
  presence_->call_changed(call("c1", CallStatus::completed, ann_));  // ignored after stop
  presence_->flush();
  EXPECT_EQ(stored(), S::busy);
}

}  // namespace
