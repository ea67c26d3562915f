// IngestPipeline on its own (src/client/ingest_pipeline.hpp): answers for
// malformed, unknown, duplicate and closed; the client_state match before
// the call_control_id; the answer only after the commit.
#include <gtest/gtest.h>

#include <future>

#include "callwire/call_state.hpp"
#include "client/client_state.hpp"
#include "client/ingest_pipeline.hpp"
#include "core/base64.hpp"
#include "part_fixture.hpp"

namespace callwire {
namespace {

using namespace std::chrono_literals;

class PipelineTest : public test::PartTest {
 protected:
  void SetUp() override {
    PartTest::SetUp();
    pipeline_ = std::make_unique<client::IngestPipeline>(*logs_, *tracker_, counters_, 16);
    pipeline_->start();
  }
  void TearDown() override {
    pipeline_.reset();
    PartTest::TearDown();
  }

  IngestResult submit(const std::string& body) {
    std::promise<IngestResult> p;
    auto f = p.get_future();
    pipeline_->submit(body, [&p](IngestResult r) { p.set_value(std::move(r)); });
    return f.get();
  }

  static std::string envelope(const std::string& id, const std::string& type, const std::string& control_id,
                              const std::string& client_state) {
    std::string payload = R"("call_control_id":")" + control_id + R"(")";
    if (!client_state.empty()) payload += R"(,"client_state":")" + base64::encode(client_state) + R"(")";
    return R"({"data":{"record_type":"event","event_type":")" + type + R"(","id":")" + id +
           R"(","occurred_at":"2026-01-01T00:00:01Z","payload":{)" + payload + "}}}";
  }

  client::ClientCounters counters_;
  std::unique_ptr<client::IngestPipeline> pipeline_;
};

TEST_F(PipelineTest, AMatchedEventIsFoldedAndAnsweredAfterItsCommit) {
  Call c = new_call("v3:a");
  const auto r = submit(envelope("e1", "call.initiated", "v3:a", c.call_id));
  EXPECT_TRUE(r);
  EXPECT_EQ(r.call_id, c.call_id);
  EXPECT_EQ(r.event_type, "call.initiated");
  EXPECT_FALSE(r.duplicate);
  // Answered after the commit: storage already has it.
  EXPECT_EQ(logs_->get(c.call_id).status, CallStatus::ringing);
  EXPECT_EQ(counters_.ingest_commits, 1u);
}

TEST_F(PipelineTest, ARedeliveryIsADuplicateAndChangesNothing) {
  Call c = new_call("v3:a");
  submit(envelope("e1", "call.initiated", "v3:a", c.call_id));
  const auto again = submit(envelope("e1", "call.initiated", "v3:a", c.call_id));
  EXPECT_TRUE(again);
  EXPECT_TRUE(again.duplicate);
  EXPECT_EQ(counters_.webhooks_duplicate, 1u);
  EXPECT_EQ(updates_.wait(2).size(), 2u);  // created, ringing
}

TEST_F(PipelineTest, WithoutClientStateTheCallControlIdMatches) {
  Call c = new_call("v3:by-id");
  const auto r = submit(envelope("e1", "call.initiated", "v3:by-id", ""));
  EXPECT_EQ(r.call_id, c.call_id);
}

TEST_F(PipelineTest, AnEventOfAnUnknownCallIsStoredAndAcknowledged) {
  const auto r = submit(envelope("e1", "call.initiated", "v3:nobody", ""));
  EXPECT_TRUE(r);
  EXPECT_TRUE(r.call_id.empty());
  EXPECT_TRUE(submit(envelope("e1", "call.initiated", "v3:nobody", "")).duplicate);
}

TEST_F(PipelineTest, AMalformedBodyIsAnsweredAtOnceOnTheCallingThread) {
  const auto caller = std::this_thread::get_id();
  std::thread::id answered_on;
  IngestResult result;
  pipeline_->submit("{not json", [&](IngestResult r) {
    answered_on = std::this_thread::get_id();
    result = std::move(r);
  });
  EXPECT_EQ(answered_on, caller);
  EXPECT_EQ(result.code, errc::malformed);
  EXPECT_FALSE(result.message.empty());
  EXPECT_EQ(counters_.webhooks_rejected, 1u);
}

TEST_F(PipelineTest, AfterStopEveryWebhookIsAnsweredClosed) {
  pipeline_->stop();
  pipeline_->stop();  // idempotent
  const auto r = submit(envelope("e1", "call.initiated", "v3:a", ""));
  EXPECT_EQ(r.code, errc::closed);
}

TEST_F(PipelineTest, AnswersRunOnTheWriterThread) {
  EXPECT_FALSE(pipeline_->on_writer_thread());
  std::promise<bool> on_writer;
  pipeline_->submit(envelope("e1", "call.initiated", "v3:a", ""),
                    [&](IngestResult) { on_writer.set_value(pipeline_->on_writer_thread()); });
  EXPECT_TRUE(on_writer.get_future().get());
}

// Issue 15, 2.6: an event carrying the call's client_state on another leg
// (a transfer's new leg, if the carrier copied the state) never folds into
// the call: its failure would end the live call.
TEST_F(PipelineTest, AnEventOfAnotherLegWithTheCallsClientStateIsNotFolded) {
  Call c = new_call("v3:a");
  submit(envelope("e1", "call.answered", "v3:a", c.call_id));
  const auto r = submit(envelope("e2", "call.hangup", "v3:transfer-leg", c.call_id));
  EXPECT_TRUE(r);  // stored and acknowledged
  EXPECT_TRUE(r.call_id.empty());
  const Call after = logs_->get(c.call_id);
  EXPECT_EQ(after.status, CallStatus::active);
  EXPECT_EQ(after.call_control_id, "v3:a");
}

TEST(ClientState, ATransferLegsStampNamesNoCall) {
  const std::string id = "0b7c8f2e-1d2a-4c3b-9e8f-123456789abc";
  const std::string stamp = client::transfer_leg_client_state(id);
  EXPECT_EQ(client::call_id_from_client_state(stamp), "");
  EXPECT_NE(stamp, base64::encode(id));
  EXPECT_NE(base64::decode(stamp)->find(id), std::string::npos);  // still says where it came from
}

TEST(ClientState, OnlyACallIdInBase64IsMatched) {
  using client::call_id_from_client_state;
  const std::string id = "0b7c8f2e-1d2a-4c3b-9e8f-123456789abc";
  EXPECT_EQ(call_id_from_client_state(base64::encode(id)), id);
  EXPECT_EQ(call_id_from_client_state(std::nullopt), "");
  EXPECT_EQ(call_id_from_client_state(std::string("")), "");
  EXPECT_EQ(call_id_from_client_state(base64::encode("someone else's state")), "");
  EXPECT_EQ(call_id_from_client_state(base64::encode("0b7c8f2e-1d2a-4c3b-9e8f-123456789abZ")), "");
  EXPECT_EQ(call_id_from_client_state(std::string("not base64!")), "");
}

}  // namespace
}  // namespace callwire
