// The speak and playback rules (src/core/media.hpp), read from Telnyx's Call
// Control spec: male/female voices only at service level basic with en-US
// and plain text; provider voices at premium; 3,000 characters; the language
// list; http(s) audio URLs.
#include "core/media.hpp"

#include <gtest/gtest.h>

namespace callwire {
namespace {

Speech prepared(Speech s, std::string* problem = nullptr) {
  const std::string p = prepare_speech(s);
  if (problem != nullptr) *problem = p;
  EXPECT_TRUE(problem != nullptr || p.empty()) << p;
  return s;
}

std::string refusal(Speech s) { return prepare_speech(s); }

TEST(Speech, GenderVoicesGoOutAtServiceLevelBasicWithEnUs) {
  const Speech plain = prepared({"Hello", "", "", "", ""});
  EXPECT_EQ(plain.voice, "female");  // the default voice
  EXPECT_EQ(plain.language, "en-US");
  EXPECT_EQ(plain.service_level, "basic");
  EXPECT_EQ(plain.payload_type, "text");
  const Speech male = prepared({"Hello", "male", "en-US", "text", ""});
  EXPECT_EQ(male.service_level, "basic");
  EXPECT_EQ(male.language, "en-US");
  EXPECT_EQ(refusal({"Hola", "female", "es-MX", "", ""}),
            "language: the male and female voices (Telnyx's basic service level) speak en-US only; for es-MX choose a "
            "provider voice, e.g. AWS.Polly.<VoiceId> or Azure.<VoiceId>");
  EXPECT_EQ(refusal({"<speak>Hi</speak>", "male", "", "ssml", ""}),
            "payload_type: the male and female voices (Telnyx's basic service level) speak plain text only; for SSML "
            "choose a provider voice, e.g. AWS.Polly.<VoiceId> or Azure.<VoiceId>");
}

TEST(Speech, ProviderVoicesGoOutAtPremiumWithTheirOwnLanguage) {
  for (const char* voice : {"AWS.Polly.Joanna-Neural", "AWS.Polly.Joanna", "Polly.Joanna", "Azure.en-CA-ClaraNeural",
                            "Azure.en-US-Ava:DragonHDLatestNeural", "ElevenLabs.eleven_multilingual_v2.21m00Tcm4TlvDq8ikWAM",
                            "ElevenLabs.21m00Tcm4TlvDq8ikWAM", "Telnyx.KokoroTTS.af", "Minimax.speech-02-hd.Wise_Woman",
                            "Rime.Arcana.cove", "Resemble.Turbo.my_voice", "Telnyx", "AWS", "Azure"}) {
    const Speech s = prepared({"Hello", voice, "", "", ""});
    EXPECT_EQ(s.voice, voice);
    EXPECT_EQ(s.service_level, "premium") << voice;
    EXPECT_EQ(s.language, "") << voice;  // not sent: the voice speaks its own
  }
  const Speech de = prepared({"<speak>Guten Tag</speak>", "AWS.Polly.Marlene-Neural", "de-DE", "ssml", ""});
  EXPECT_EQ(de.language, "de-DE");
  EXPECT_EQ(de.payload_type, "ssml");
  EXPECT_EQ(de.service_level, "premium");
}

TEST(Speech, UnknownVoicesAreRefusedWithTheForms) {
  for (const char* voice : {"Female", "MALE", "robot", "Google.en-US-Wavenet-A", "polly.Joanna", "Polly", "AWS.",
                            "AWS..Joanna", "AWS.Polly.", "AWS.Polly Joanna", " female", "Azure.\tx"}) {
    EXPECT_EQ(refusal({"Hello", voice, "", "", ""}),
              "voice: must be male or female (Telnyx's basic voices, en-US only) or a provider voice "
              "<Provider>.<Model>.<VoiceId> of AWS, Azure, ElevenLabs, Telnyx, Minimax, Rime or Resemble, e.g. "
              "AWS.Polly.Joanna-Neural or Azure.en-CA-ClaraNeural (got '" +
                  std::string(voice) + "')")
        << voice;
  }
}

TEST(Speech, LanguagesAreTheSpecsList) {
  for (const auto l : kSpeakLanguages) EXPECT_EQ(refusal({"Hi", "Telnyx.KokoroTTS.af", std::string(l), "", ""}), "") << l;
  const std::string r = refusal({"Hi", "Telnyx.KokoroTTS.af", "en-us", "", ""});
  EXPECT_EQ(r.rfind("language: must be one of arb, cmn-CN, cy-GB, ", 0), 0u) << r;
  EXPECT_NE(r.find(", tr-TR (got 'en-us')"), std::string::npos) << r;
  EXPECT_EQ(refusal({"Hi", "female", "xx", "", ""}).rfind("language: must be one of ", 0), 0u);
}

TEST(Speech, TextIsRequiredAndAtMost3000Characters) {
  EXPECT_EQ(refusal({"", "female", "", "", ""}), "text: must not be empty: give the words (or SSML) to speak");
  EXPECT_EQ(refusal({std::string(3000, 'a'), "", "", "", ""}), "");
  EXPECT_EQ(refusal({std::string(3001, 'a'), "", "", "", ""}),
            "text: Telnyx speaks at most 3000 characters at a time (got 3001); split it into several speak commands");
  // Characters, not bytes: 3,000 two-byte characters pass, 3,001 do not.
  std::string umlauts;
  for (int i = 0; i < 3000; ++i) umlauts += "\xC3\xBC";  // ü
  EXPECT_EQ(refusal({umlauts, "", "", "", ""}), "");
  EXPECT_NE(refusal({umlauts + "\xC3\xBC", "", "", "", ""}), "");
  EXPECT_EQ(refusal({"Hi", "", "", "xml", ""}), "payload_type: must be text or ssml (got 'xml')");
}

TEST(Speech, PreparingTwiceChangesNothing) {
  Speech s{"Hello", "", "", "", ""};
  ASSERT_EQ(prepare_speech(s), "");
  const Speech once = s;
  ASSERT_EQ(prepare_speech(s), "");
  EXPECT_EQ(s.voice, once.voice);
  EXPECT_EQ(s.language, once.language);
  EXPECT_EQ(s.service_level, once.service_level);
  EXPECT_EQ(s.payload_type, once.payload_type);
}

TEST(AudioUrl, OnlyHttpAndHttpsUrlsWithAHost) {
  for (const char* ok : {"https://example.com/a.mp3", "http://example.com/a.wav", "HTTPS://EXAMPLE.COM/A.MP3",
                         "https://s3.amazonaws.com/b/v.mp3?X-Amz-Signature=abc&X-Amz-Expires=600", "http://10.0.0.1:8080/x"}) {
    EXPECT_EQ(audio_url_problem(ok), "") << ok;
  }
  EXPECT_EQ(audio_url_problem(""), "audio_url: must not be empty: give the http:// or https:// URL of an MP3 or WAV file");
  for (const char* bad : {"ftp://example.com/a.wav", "example.com/a.wav", "https://", "https:///a.wav", "http://?x",
                          "https://example.com/a b.wav", "https://example.com/a.wav\n", "file:///etc/passwd", "/recordings/x.wav"}) {
    EXPECT_EQ(audio_url_problem(bad),
              "audio_url: must be the http:// or https:// URL of an MP3 or WAV file, without spaces (got '" +
                  std::string(bad) + "')")
        << bad;
  }
}

}  // namespace
}  // namespace callwire
