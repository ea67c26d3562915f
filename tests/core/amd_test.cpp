// The answering machine detection rule (callwire/amd.hpp): the mode names of
// Telnyx's spec, the boolean of older callers, and the thresholds.
#include <gtest/gtest.h>

#include <set>

#include "callwire/amd.hpp"
#include "fixtures.hpp"

using namespace callwire;

TEST(AmdRule, ModeNamesAreTheSpecsEnum) {
  // The enum of CallRequest.answering_machine_detection in the spec the fake Telnyx serves.
  const std::string spec = test::fixture("telnyx/call-control.openapi.json");
  std::set<std::string> names;
  for (AmdMode m : {AmdMode::disabled, AmdMode::detect, AmdMode::detect_beep, AmdMode::detect_words,
                    AmdMode::greeting_end, AmdMode::premium}) {
    EXPECT_EQ(parse_amd_mode(to_string(m)), m);
    names.insert(std::string(to_string(m)));
  }
  EXPECT_EQ(names.size(), 6u);
  for (const auto& n : names) {
    EXPECT_NE(spec.find("\"" + n + "\""), std::string::npos) << n;
  }
  EXPECT_FALSE(parse_amd_mode("on"));
  EXPECT_FALSE(parse_amd_mode("Detect"));  // names are exact, as Telnyx takes them
  EXPECT_FALSE(parse_amd_mode(""));
}

TEST(AmdRule, ABooleanMeansDetectOrDisabled) {
  EXPECT_EQ(amd_mode_of(true), AmdMode::detect);
  EXPECT_EQ(amd_mode_of(false), AmdMode::disabled);
}

TEST(AmdRule, AnUnknownModeIsRefusedWithOneSentence) {
  EXPECT_EQ(amd_mode_refusal("beep"),
            "answering_machine_detection: 'beep' is not a mode; use disabled, detect, detect_beep, detect_words, "
            "greeting_end or premium (true means detect, false disabled)");
}

TEST(AmdRule, ThresholdsAreTheSpecsAndNeedAMode) {
  const std::string spec = test::fixture("telnyx/call-control.openapi.json");
  AmdConfig c;
  EXPECT_TRUE(c.empty());
  for (const auto& f : amd_config_fields()) {
    EXPECT_NE(spec.find("\"" + std::string(f.name) + "\""), std::string::npos) << f.name;
  }
  EXPECT_EQ(amd_problem(AmdMode::disabled, c), "");
  c.total_analysis_time_millis = 5000;
  c.greeting_silence_duration_millis = 0;
  EXPECT_FALSE(c.empty());
  EXPECT_EQ(amd_problem(AmdMode::detect_words, c), "");
  EXPECT_EQ(amd_problem(AmdMode::disabled, c),
            "answering_machine_detection_config: detection is disabled, so there is nothing to tune; choose a mode in "
            "answering_machine_detection (e.g. detect) or leave the settings out");
  c.maximum_number_of_words = -1;
  EXPECT_EQ(amd_problem(AmdMode::detect, c), "answering_machine_detection_config.maximum_number_of_words: must be 0 or more (got -1)");
  EXPECT_EQ(amd_config_name_refusal("beep_timeout"),
            "answering_machine_detection_config: 'beep_timeout' is not a setting; use total_analysis_time_millis, "
            "after_greeting_silence_millis, between_words_silence_millis, greeting_duration_millis, "
            "initial_silence_millis, maximum_number_of_words, maximum_word_length_millis, silence_threshold, "
            "greeting_total_analysis_time_millis, greeting_silence_duration_millis");
}
