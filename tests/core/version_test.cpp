// callwire::version() is the version of record: project(callwire VERSION …),
// which the build passes here as CALLWIRE_PROJECT_VERSION.
#include "callwire/version.hpp"

#include <gtest/gtest.h>

#include <string>

TEST(Version, IsTheProjectVersion) {
  EXPECT_STREQ(callwire::version(), CALLWIRE_PROJECT_VERSION);
  const callwire::Version v = callwire::version_parts();
  EXPECT_EQ(std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.patch),
            CALLWIRE_PROJECT_VERSION);
  EXPECT_EQ(callwire::version_number(), static_cast<unsigned>(v.major * 10000 + v.minor * 100 + v.patch));
}
