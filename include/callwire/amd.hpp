// callwire — answering machine detection (AMD): the modes a dial can ask
// Telnyx for, their optional tuning, and the one rule that checks both.
//
// From call-control.openapi.json, POST /calls (CallRequest):
//  - `answering_machine_detection` is one of `premium`, `detect`,
//    `detect_beep`, `detect_words`, `greeting_end`, `disabled` (the default);
//  - `answering_machine_detection_config` is an object of int32 thresholds
//    ("Optional configuration parameters to modify 'answering_machine_detection'
//    performance"), each with a default Telnyx applies when it is absent.
// What each mode reports (docs/client.md, "Answering machine detection"):
// `detect` only call.machine.detection.ended; `detect_beep` also
// call.machine.greeting.ended, only when a beep is heard; `detect_words` and
// `greeting_end` also call.machine.greeting.ended when a machine's greeting
// ends (beep, silence, or — detect_words — 30 s); `premium`
// call.machine.premium.detection.ended, and call.machine.premium.greeting.ended
// when a beep is heard.
//
// The REST API, the C ABI and both bindings take a mode by these names, or a
// boolean as before modes could be chosen: true is `detect`, false `disabled`.
//
// Pure values: no I/O. This header compiles as C++17 on its own.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace callwire {

/// Telnyx's `answering_machine_detection` modes.
enum class AmdMode {
  disabled,      ///< no detection (Telnyx's default)
  detect,        ///< human or machine: call.machine.detection.ended
  detect_beep,   ///< and call.machine.greeting.ended when a machine's beep is heard
  detect_words,  ///< and call.machine.greeting.ended at the beep or after 30 s of listening
  greeting_end,  ///< and call.machine.greeting.ended when the greeting ends (a beep or silence)
  premium,       ///< Telnyx's premium detection: call.machine.premium.* events
};

/// "disabled", "detect", "detect_beep", "detect_words", "greeting_end", "premium".
std::string_view to_string(AmdMode m) noexcept;
/// Parses a Telnyx mode name; std::nullopt when it is none of them.
std::optional<AmdMode> parse_amd_mode(std::string_view name) noexcept;
/// The mode a boolean means (as before modes could be chosen): true → detect, false → disabled.
constexpr AmdMode amd_mode_of(bool on) noexcept { return on ? AmdMode::detect : AmdMode::disabled; }
/// The refusal of a name that is not a mode, one sentence that starts with
/// the field name: "answering_machine_detection: 'on' is not a mode; use
/// disabled, detect, detect_beep, detect_words, greeting_end or premium
/// (true means detect, false disabled)".
std::string amd_mode_refusal(std::string_view name);

/// Telnyx's `answering_machine_detection_config`: each threshold is sent only
/// when set; Telnyx's default (in brackets) applies otherwise.
struct AmdConfig {
  std::optional<std::int32_t> total_analysis_time_millis;     ///< [3500] overall detection timeout
  std::optional<std::int32_t> after_greeting_silence_millis;  ///< [800] silence after a greeting that means a human
  std::optional<std::int32_t> between_words_silence_millis;   ///< [50] longest silence between words
  std::optional<std::int32_t> greeting_duration_millis;       ///< [3500] a longer greeting is a machine
  std::optional<std::int32_t> initial_silence_millis;         ///< [3500] a longer initial silence is a machine
  std::optional<std::int32_t> maximum_number_of_words;        ///< [5] more words is a machine
  std::optional<std::int32_t> maximum_word_length_millis;     ///< [3500] a longer word is a machine
  std::optional<std::int32_t> silence_threshold;              ///< [256] least noise level analysed
  std::optional<std::int32_t> greeting_total_analysis_time_millis;  ///< [5000] machine found: longest wait for its greeting's end
  std::optional<std::int32_t> greeting_silence_duration_millis;     ///< [1500] machine found: silence that ends its greeting

  /// True when no threshold is set (nothing is sent).
  bool empty() const noexcept;
};

/// One threshold of AmdConfig, by its Telnyx name.
struct AmdConfigField {
  std::string_view name;
  std::optional<std::int32_t> AmdConfig::*value;
};

/// Every threshold of AmdConfig, in the spec's order.
const std::array<AmdConfigField, 10>& amd_config_fields() noexcept;

/// The refusal of a threshold name that is not one, one sentence:
/// "answering_machine_detection_config: 'x' is not a setting; use
/// total_analysis_time_millis, …".
std::string amd_config_name_refusal(std::string_view name);

/// Checks a dial's detection: "" when it may be sent, else one sentence that
/// starts with the field name. A threshold must be 0 or more; thresholds
/// need a mode (with detection disabled Telnyx has nothing to tune).
std::string amd_problem(AmdMode mode, const AmdConfig& config);

}  // namespace callwire
