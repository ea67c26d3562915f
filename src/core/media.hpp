// callwire — what Telnyx's speak and playback_start actions accept (internal
// to the SDK): one rule for CallClient::speak / start_playback and the Telnyx
// carrier, as dtmf.hpp is for send_dtmf.
//
// From call-control.openapi.json, POST /calls/{call_control_id}/actions/speak:
//  - `payload` is required, "a 3,000 character limit"; `payload_type` is
//    `text` (the default) or `ssml`;
//  - `voice` is required: "For service_level basic, you may define the gender
//    of the speaker (male or female)"; otherwise `<Provider>.<Model>.<VoiceId>`
//    of AWS (`AWS.Polly.<VoiceId>`), Azure, ElevenLabs, Telnyx, Minimax, Rime
//    or Resemble — "Specifying only the provider will give default values" —
//    and `language` speaks of `Polly.*` voices, the older spelling of
//    `AWS.Polly.*`;
//  - `service_level` is `basic` or `premium` (the default): "When using
//    `basic`, only the `en-US` language and payload type `text` are allowed";
//  - `language` is one of a list, "ignored when a `Polly.*` voice is specified".
// So a male or female voice goes out with service_level basic and language
// en-US (the default when none is given; another language is refused), and
// speaks plain text only; a provider voice goes out with service_level
// premium, and with a language only when one is given.
//
// playback_start's `audio_url` is "the URL of a file to be played back on the
// call … either a WAV or MP3 file": an http:// or https:// URL.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace callwire {

/// One speak command, as the caller gives it and, after prepare_speech(), as
/// it is sent.
struct Speech {
  std::string text;           ///< sent as `payload`: plain text or SSML
  std::string voice;          ///< "" → "female"
  std::string language;       ///< "" → "en-US" for male/female; not sent for other voices
  std::string payload_type;   ///< "" → "text"; or "ssml"
  std::string service_level;  ///< set by prepare_speech(): "basic" for male/female, else "premium"
};

/// Telnyx's limit on `payload`, in characters (Unicode code points).
inline constexpr std::size_t kSpeakMaxChars = 3000;

/// The languages Telnyx speaks (the `language` enum of the speak action).
inline constexpr std::array<std::string_view, 29> kSpeakLanguages = {
    "arb",   "cmn-CN", "cy-GB", "da-DK", "de-DE", "en-AU", "en-GB", "en-GB-WLS", "en-IN", "en-US",
    "es-ES", "es-MX",  "es-US", "fr-CA", "fr-FR", "hi-IN", "is-IS", "it-IT",     "ja-JP", "ko-KR",
    "nb-NO", "nl-NL",  "pl-PL", "pt-BR", "pt-PT", "ro-RO", "ru-RU", "sv-SE",     "tr-TR"};

/// The providers of `<Provider>.<Model>.<VoiceId>` voices (and the older `Polly.<VoiceId>`).
inline constexpr std::array<std::string_view, 8> kVoiceProviders = {"AWS",  "Azure", "ElevenLabs", "Telnyx",
                                                                     "Minimax", "Rime", "Resemble",  "Polly"};

namespace media_detail {

inline std::size_t code_points(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;  // not a continuation byte
  return n;
}

inline bool printable_without_spaces(std::string_view s) {
  for (const char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7F) return false;
  }
  return true;
}

inline bool is_gender_voice(std::string_view v) { return v == "female" || v == "male"; }

inline std::string voice_problem(std::string_view voice) {
  const std::string why =
      "voice: must be male or female (Telnyx's basic voices, en-US only) or a provider voice "
      "<Provider>.<Model>.<VoiceId> of AWS, Azure, ElevenLabs, Telnyx, Minimax, Rime or Resemble, "
      "e.g. AWS.Polly.Joanna-Neural or Azure.en-CA-ClaraNeural (got '" +
      std::string(voice) + "')";
  if (!printable_without_spaces(voice)) return why;
  const auto dot = voice.find('.');
  const std::string_view provider = voice.substr(0, dot);
  bool known = false;
  for (const auto p : kVoiceProviders) known = known || p == provider;
  if (!known) return why;
  if (dot == std::string_view::npos) return provider == "Polly" ? why : std::string();  // the provider's default voice
  // Every part after the provider is named: no "AWS.", no "AWS..Joanna".
  for (std::string_view rest = voice.substr(dot + 1);;) {
    const auto next = rest.find('.');
    if (rest.substr(0, next).empty()) return why;
    if (next == std::string_view::npos) return {};
    rest = rest.substr(next + 1);
  }
}

}  // namespace media_detail

/// Fills in the defaults of `s` (voice, language, payload_type) and its
/// service_level, and checks it against the spec. Returns "" when it may be
/// sent, else the refusal: a sentence that starts with the field's name
/// ("voice: …", "language: …").
inline std::string prepare_speech(Speech& s) {
  if (s.text.empty()) return "text: must not be empty: give the words (or SSML) to speak";
  const std::size_t chars = media_detail::code_points(s.text);
  if (chars > kSpeakMaxChars) {
    return "text: Telnyx speaks at most " + std::to_string(kSpeakMaxChars) + " characters at a time (got " +
           std::to_string(chars) + "); split it into several speak commands";
  }
  if (s.payload_type.empty()) s.payload_type = "text";
  if (s.payload_type != "text" && s.payload_type != "ssml") {
    return "payload_type: must be text or ssml (got '" + s.payload_type + "')";
  }
  if (s.voice.empty()) s.voice = "female";
  if (!s.language.empty()) {
    bool known = false;
    for (const auto l : kSpeakLanguages) known = known || l == s.language;
    if (!known) {
      std::string list;
      for (const auto l : kSpeakLanguages) list += (list.empty() ? "" : ", ") + std::string(l);
      return "language: must be one of " + list + " (got '" + s.language + "')";
    }
  }
  if (media_detail::is_gender_voice(s.voice)) {
    // Telnyx's basic service level: the only one with male/female voices.
    s.service_level = "basic";
    if (s.language.empty()) s.language = "en-US";
    if (s.language != "en-US") {
      return "language: the male and female voices (Telnyx's basic service level) speak en-US only; for " + s.language +
             " choose a provider voice, e.g. AWS.Polly.<VoiceId> or Azure.<VoiceId>";
    }
    if (s.payload_type != "text") {
      return "payload_type: the male and female voices (Telnyx's basic service level) speak plain text only; for "
             "SSML choose a provider voice, e.g. AWS.Polly.<VoiceId> or Azure.<VoiceId>";
    }
    return {};
  }
  if (auto problem = media_detail::voice_problem(s.voice); !problem.empty()) return problem;
  s.service_level = "premium";
  return {};
}

/// How Telnyx records when not told otherwise: each party on its own channel
/// (the dial's `record_channels` defaults to dual; record_start's `channels`
/// is single or dual). callwire's recording_channels setting says which.
inline constexpr std::string_view kDefaultRecordingChannels = "dual";

/// Returns "" when `channels` is "single" or "dual", else the refusal, a
/// sentence that starts with `field` ("recording_channels: …").
inline std::string recording_channels_problem(std::string_view channels,
                                              std::string_view field = "recording_channels") {
  if (channels == "single" || channels == "dual") return {};
  return std::string(field) +
         ": must be single (both parties mixed on one channel) or dual (each party on its own channel, "
         "Telnyx's default), not '" +
         std::string(channels) + "'";
}

/// Returns "" when `url` may be played (an http:// or https:// URL with a
/// host and no spaces or control characters), else the refusal ("audio_url: …").
inline std::string audio_url_problem(std::string_view url) {
  if (url.empty()) return "audio_url: must not be empty: give the http:// or https:// URL of an MP3 or WAV file";
  auto starts = [&](std::string_view scheme) {
    if (url.size() < scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i) {
      const char c = url[i];
      if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != scheme[i]) return false;
    }
    return true;
  };
  const std::size_t scheme = starts("https://") ? 8 : starts("http://") ? 7 : 0;
  const std::string_view rest = url.substr(scheme);
  const bool has_host = !rest.empty() && rest.front() != '/' && rest.front() != '?' && rest.front() != '#';
  if (scheme == 0 || !has_host || !media_detail::printable_without_spaces(url)) {
    return "audio_url: must be the http:// or https:// URL of an MP3 or WAV file, without spaces (got '" +
           std::string(url) + "')";
  }
  return {};
}

}  // namespace callwire
