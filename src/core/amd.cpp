// Answering machine detection modes and thresholds (see callwire/amd.hpp).
#include "callwire/amd.hpp"

#include <utility>

namespace callwire {
namespace {

constexpr std::array<std::pair<AmdMode, std::string_view>, 6> kModeNames{{
    {AmdMode::disabled, "disabled"},
    {AmdMode::detect, "detect"},
    {AmdMode::detect_beep, "detect_beep"},
    {AmdMode::detect_words, "detect_words"},
    {AmdMode::greeting_end, "greeting_end"},
    {AmdMode::premium, "premium"},
}};

}  // namespace

std::string_view to_string(AmdMode m) noexcept {
  for (const auto& [mode, name] : kModeNames) {
    if (mode == m) return name;
  }
  return "disabled";
}

std::optional<AmdMode> parse_amd_mode(std::string_view name) noexcept {
  for (const auto& [mode, n] : kModeNames) {
    if (n == name) return mode;
  }
  return std::nullopt;
}

std::string amd_mode_refusal(std::string_view name) {
  std::string list;
  for (std::size_t i = 0; i < kModeNames.size(); ++i) {
    if (i > 0) list += i + 1 == kModeNames.size() ? " or " : ", ";
    list += kModeNames[i].second;
  }
  return "answering_machine_detection: '" + std::string(name) + "' is not a mode; use " + list +
         " (true means detect, false disabled)";
}

bool AmdConfig::empty() const noexcept {
  for (const auto& f : amd_config_fields()) {
    if ((this->*f.value).has_value()) return false;
  }
  return true;
}

const std::array<AmdConfigField, 10>& amd_config_fields() noexcept {
  static const std::array<AmdConfigField, 10> fields{{
      {"total_analysis_time_millis", &AmdConfig::total_analysis_time_millis},
      {"after_greeting_silence_millis", &AmdConfig::after_greeting_silence_millis},
      {"between_words_silence_millis", &AmdConfig::between_words_silence_millis},
      {"greeting_duration_millis", &AmdConfig::greeting_duration_millis},
      {"initial_silence_millis", &AmdConfig::initial_silence_millis},
      {"maximum_number_of_words", &AmdConfig::maximum_number_of_words},
      {"maximum_word_length_millis", &AmdConfig::maximum_word_length_millis},
      {"silence_threshold", &AmdConfig::silence_threshold},
      {"greeting_total_analysis_time_millis", &AmdConfig::greeting_total_analysis_time_millis},
      {"greeting_silence_duration_millis", &AmdConfig::greeting_silence_duration_millis},
  }};
  return fields;
}

std::string amd_config_name_refusal(std::string_view name) {
  std::string list;
  for (const auto& f : amd_config_fields()) list += (list.empty() ? "" : ", ") + std::string(f.name);
  return "answering_machine_detection_config: '" + std::string(name) + "' is not a setting; use " + list;
}

std::string amd_problem(AmdMode mode, const AmdConfig& config) {
  for (const auto& f : amd_config_fields()) {
    const auto& v = config.*f.value;
    if (v && *v < 0) {
      return "answering_machine_detection_config." + std::string(f.name) + ": must be 0 or more (got " +
             std::to_string(*v) + ")";
    }
  }
  if (mode == AmdMode::disabled && !config.empty()) {
    return "answering_machine_detection_config: detection is disabled, so there is nothing to tune; choose a mode "
           "in answering_machine_detection (e.g. detect) or leave the settings out";
  }
  return {};
}

}  // namespace callwire
