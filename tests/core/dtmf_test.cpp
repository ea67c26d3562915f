// The DTMF rule shared by the client, the Telnyx carrier and the simulator.
#include "core/dtmf.hpp"

#include <gtest/gtest.h>

namespace {

TEST(Dtmf, TakesWhatTelnyxTakes) {
  for (const char* ok : {"0123456789", "*#", "ABCD", "1www2WABCDw9", "w"}) EXPECT_TRUE(callwire::is_valid_dtmf(ok)) << ok;
}

TEST(Dtmf, RefusesWhatTelnyxRefuses) {
  // Lower-case a-d were accepted by the client and the simulator while the
  // carrier (and Telnyx) refused them.
  for (const char* bad : {"", "a", "abcd", "1x", "1 2", "+1", "E", "p"}) EXPECT_FALSE(callwire::is_valid_dtmf(bad)) << bad;
}

}  // namespace
