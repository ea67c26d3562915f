#include <gtest/gtest.h>

#include "callwire/error.hpp"
#include "callwire/phone.hpp"

using callwire::PhoneError;
using callwire::PhoneParseError;

namespace {

std::string ok(std::string_view in) {
  auto r = callwire::parse_e164(in);
  EXPECT_TRUE(std::holds_alternative<std::string>(r)) << in;
  return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : "";
}

PhoneParseError bad(std::string_view in) {
  auto r = callwire::parse_e164(in);
  EXPECT_TRUE(std::holds_alternative<PhoneParseError>(r)) << in;
  return std::holds_alternative<PhoneParseError>(r) ? std::get<PhoneParseError>(r) : PhoneParseError{};
}

}  // namespace

TEST(Phone, NormalisesUserInput) {
  EXPECT_EQ(ok("+1 (212) 555-1234"), "+12125551234");
  EXPECT_EQ(ok("00 44 20 7946 0958"), "+442079460958");
  EXPECT_EQ(ok("+44.20.7946.0958"), "+442079460958");
  EXPECT_EQ(ok("+1/212/555/1234"), "+12125551234");
  EXPECT_EQ(ok("  +353 1 960 5860 "), "+35319605860");
  EXPECT_EQ(ok("+12125551234"), "+12125551234");
  EXPECT_EQ(ok("+2901234"), "+2901234");              // 7 digits: shortest allowed
  EXPECT_EQ(ok("+123456789012345"), "+123456789012345");  // 15 digits: longest allowed
}

TEST(Phone, RejectsWithAReason) {
  auto e = bad("+1 212 55");
  EXPECT_EQ(e.error, PhoneError::too_short);
  EXPECT_EQ(e.message, "phone number is too short: 6 digits, E.164 needs at least 7");

  e = bad("+1234567890123456");
  EXPECT_EQ(e.error, PhoneError::too_long);
  EXPECT_EQ(e.message, "phone number is too long: 16 digits, E.164 allows at most 15");

  e = bad("+1 800 FLOWERS");
  EXPECT_EQ(e.error, PhoneError::letters);
  EXPECT_NE(e.message.find("contains 'F'"), std::string::npos) << e.message;

  e = bad("212 555 1234");
  EXPECT_EQ(e.error, PhoneError::no_country_code);
  EXPECT_NE(e.message.find("no country code"), std::string::npos);

  EXPECT_EQ(bad("").error, PhoneError::empty);
  EXPECT_EQ(bad(" () - ").error, PhoneError::empty);
  EXPECT_EQ(bad("+0123456789").error, PhoneError::bad_country_code);
  EXPECT_EQ(bad("000123456789").error, PhoneError::bad_country_code);
  EXPECT_EQ(bad("12+34567890").error, PhoneError::letters);
  EXPECT_EQ(bad("++12125551234").error, PhoneError::letters);
  EXPECT_EQ(bad(std::string(100, '1')).error, PhoneError::too_long);
}

TEST(Phone, NormalizeThrowsInvalidArgumentNamingTheField) {
  try {
    callwire::normalize_e164("abc", "to_number");
    FAIL() << "expected an exception";
  } catch (const callwire::Error& e) {
    EXPECT_EQ(e.code(), callwire::errc::invalid_argument);
    EXPECT_EQ(std::string(e.what()).rfind("to_number: phone number contains 'a'", 0), 0u) << e.what();
  }
  EXPECT_EQ(callwire::normalize_e164("+1 212 555 1234"), "+12125551234");
}

TEST(Phone, IsE164) {
  EXPECT_TRUE(callwire::is_e164("+12125551234"));
  EXPECT_FALSE(callwire::is_e164("12125551234"));
  EXPECT_FALSE(callwire::is_e164("+1 2125551234"));
  EXPECT_FALSE(callwire::is_e164("+0125551234"));
  EXPECT_FALSE(callwire::is_e164("+123456"));
  EXPECT_FALSE(callwire::is_e164("+1234567890123456"));
}
