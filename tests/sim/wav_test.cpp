// The demo recordings' WAV files: header, size, content.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>

#include "sim/wav.hpp"

using namespace callwire;
using namespace std::chrono_literals;

TEST(Wav, HeaderAndSizeAreRight) {
  const std::string w = sim::make_wav(3s);
  ASSERT_EQ(w.size(), 44u + 3 * 8000 * 2);
  EXPECT_EQ(w.substr(0, 4), "RIFF");
  EXPECT_EQ(w.substr(8, 8), "WAVEfmt ");
  EXPECT_EQ(w.substr(36, 4), "data");
  std::uint32_t riff = 0;
  std::memcpy(&riff, w.data() + 4, 4);  // little-endian host (x86-64, aarch64)
  EXPECT_EQ(riff, w.size() - 8);
  std::string why;
  const auto info = sim::inspect_wav(w, &why);
  ASSERT_TRUE(info.has_value()) << why;
  EXPECT_EQ(info->format, 1);
  EXPECT_EQ(info->channels, 1);
  EXPECT_EQ(info->sample_rate, 8000u);
  EXPECT_EQ(info->bits_per_sample, 16);
  EXPECT_EQ(info->data_bytes, 48000u);
  EXPECT_EQ(info->duration, 3000ms);
}

TEST(Wav, SoundsLikeRingback) {
  const std::string w = sim::make_wav(6s);
  auto sample = [&](std::size_t i) {
    std::int16_t s;
    std::memcpy(&s, w.data() + 44 + 2 * i, 2);
    return s;
  };
  int peak_on = 0, peak_off = 0;
  for (std::size_t i = 0; i < 16000; ++i) peak_on = std::max<int>(peak_on, std::abs(sample(i)));
  for (std::size_t i = 16000; i < 48000; ++i) peak_off = std::max<int>(peak_off, std::abs(sample(i)));
  EXPECT_GT(peak_on, 8000);   // 2 s of tone …
  EXPECT_LT(peak_on, 32767);  // … not clipped
  EXPECT_EQ(peak_off, 0);     // … then 4 s of silence
  EXPECT_EQ(sample(0), 0);    // faded in
  EXPECT_EQ(sim::make_wav(6s), w);  // deterministic
}

// A "dual" recording: stereo, the caller's leg (silent) on channel A and the
// far end's tone on channel B, the same tone as the mono file's.
TEST(Wav, StereoHasTheCallerOnChannelAAndTheFarEndOnB) {
  const std::string mono = sim::make_wav(3s);
  const std::string w = sim::make_wav(3s, sim::kWavSampleRate, 2);
  ASSERT_EQ(w.size(), 44u + 3 * 8000 * 2 * 2);
  std::string why;
  const auto info = sim::inspect_wav(w, &why);
  ASSERT_TRUE(info.has_value()) << why;
  EXPECT_EQ(info->channels, 2);
  EXPECT_EQ(info->data_bytes, 96000u);
  EXPECT_EQ(info->duration, 3000ms);
  std::uint32_t byte_rate = 0;
  std::uint16_t block_align = 0;
  std::memcpy(&byte_rate, w.data() + 28, 4);
  std::memcpy(&block_align, w.data() + 32, 2);
  EXPECT_EQ(byte_rate, 32000u);
  EXPECT_EQ(block_align, 4);
  int peak_a = 0;
  for (std::size_t i = 0; i < 24000; ++i) {
    std::int16_t a, b, m;
    std::memcpy(&a, w.data() + 44 + 4 * i, 2);
    std::memcpy(&b, w.data() + 44 + 4 * i + 2, 2);
    std::memcpy(&m, mono.data() + 44 + 2 * i, 2);
    peak_a = std::max<int>(peak_a, std::abs(a));
    ASSERT_EQ(b, m) << i;
  }
  EXPECT_EQ(peak_a, 0);
}

TEST(Wav, TinyDurationsStillGiveAValidFile) {
  const auto info = sim::inspect_wav(sim::make_wav(0ms));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->data_bytes, 2u);
}

TEST(Wav, InspectRejectsBrokenFiles) {
  const std::string good = sim::make_wav(1s);
  std::string why;
  EXPECT_FALSE(sim::inspect_wav("RIFF", &why));
  EXPECT_EQ(why, "too short for a RIFF header");
  EXPECT_FALSE(sim::inspect_wav(good.substr(0, good.size() - 2), &why));
  EXPECT_EQ(why, "RIFF size does not match the file size");
  std::string bad = good;
  bad.replace(8, 4, "AVI ");
  EXPECT_FALSE(sim::inspect_wav(bad, &why));
  EXPECT_EQ(why, "missing WAVE tag");
  bad = good;
  bad[40] = static_cast<char>(0xFF);  // data chunk larger than the file
  EXPECT_FALSE(sim::inspect_wav(bad, &why));
  EXPECT_EQ(why, "a chunk runs past the end of the file");
}
