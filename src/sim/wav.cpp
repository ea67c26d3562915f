#include "sim/wav.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace callwire::sim {
namespace {

void put_u16(std::string& out, std::uint16_t v) {
  out.push_back(static_cast<char>(v & 0xFF));
  out.push_back(static_cast<char>(v >> 8));
}

void put_u32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xFF));
}

std::uint16_t get_u16(std::string_view s, std::size_t at) {
  return static_cast<std::uint16_t>(static_cast<unsigned char>(s[at]) | (static_cast<unsigned char>(s[at + 1]) << 8));
}

std::uint32_t get_u32(std::string_view s, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
  return v;
}

std::optional<WavInfo> fail(std::string* error, const char* why) {
  if (error) *error = why;
  return std::nullopt;
}

}  // namespace

std::string make_wav(std::chrono::milliseconds duration, std::uint32_t sample_rate, std::uint16_t channels) {
  if (sample_rate == 0) sample_rate = kWavSampleRate;
  channels = channels == 2 ? 2 : 1;
  const auto ms = std::max<std::int64_t>(duration.count(), 0);
  const auto samples = std::max<std::uint64_t>(static_cast<std::uint64_t>(ms) * sample_rate / 1000, 1);
  // The data chunk size is a 32-bit field: cap at what fits.
  const std::uint32_t frame_bytes = 2u * channels;
  const std::uint64_t max_samples = (0xFFFFFFFFULL - 36) / frame_bytes;
  const auto n = static_cast<std::uint32_t>(std::min(samples, max_samples));
  const std::uint32_t data_bytes = n * frame_bytes;

  std::string out;
  out.reserve(44 + data_bytes);
  out += "RIFF";
  put_u32(out, 36 + data_bytes);
  out += "WAVE";
  out += "fmt ";
  put_u32(out, 16);           // PCM fmt chunk size
  put_u16(out, 1);            // PCM
  put_u16(out, channels);     // 1 mono, 2 stereo
  put_u32(out, sample_rate);
  put_u32(out, sample_rate * frame_bytes);  // byte rate
  put_u16(out, static_cast<std::uint16_t>(frame_bytes));  // block align
  put_u16(out, 16);           // bits per sample
  out += "data";
  put_u32(out, data_bytes);

  const double rate = sample_rate;
  const std::uint32_t on = sample_rate * 2;      // 2 s tone
  const std::uint32_t period = sample_rate * 6;  // then 4 s silence
  const std::uint32_t fade = std::max<std::uint32_t>(sample_rate / 100, 1);  // 10 ms
  for (std::uint32_t i = 0; i < n; ++i) {
    const std::uint32_t pos = i % period;
    double v = 0;
    if (pos < on) {
      const double t = i / rate;
      v = 0.25 * std::sin(2 * std::numbers::pi * 440.0 * t) + 0.25 * std::sin(2 * std::numbers::pi * 480.0 * t);
      const std::uint32_t edge = std::min(pos, on - 1 - pos);
      if (edge < fade) v *= static_cast<double>(edge) / fade;
    }
    const auto sample = static_cast<std::int16_t>(std::lround(v * 32767.0));
    if (channels == 2) put_u16(out, 0);  // channel A: the caller's leg, silent
    put_u16(out, static_cast<std::uint16_t>(sample));
  }
  return out;
}

std::optional<WavInfo> inspect_wav(std::string_view bytes, std::string* error) {
  if (bytes.size() < 12) return fail(error, "too short for a RIFF header");
  if (bytes.substr(0, 4) != "RIFF") return fail(error, "missing RIFF tag");
  if (get_u32(bytes, 4) != bytes.size() - 8) return fail(error, "RIFF size does not match the file size");
  if (bytes.substr(8, 4) != "WAVE") return fail(error, "missing WAVE tag");
  WavInfo info;
  bool have_fmt = false;
  std::size_t at = 12;
  while (at + 8 <= bytes.size()) {
    const std::string_view id = bytes.substr(at, 4);
    const std::uint32_t size = get_u32(bytes, at + 4);
    const std::size_t body = at + 8;
    if (size > bytes.size() - body) return fail(error, "a chunk runs past the end of the file");
    if (id == "fmt ") {
      if (size < 16) return fail(error, "fmt chunk too short");
      info.format = get_u16(bytes, body);
      info.channels = get_u16(bytes, body + 2);
      info.sample_rate = get_u32(bytes, body + 4);
      info.bits_per_sample = get_u16(bytes, body + 14);
      have_fmt = true;
    } else if (id == "data") {
      if (!have_fmt) return fail(error, "data chunk before fmt chunk");
      if (info.channels == 0 || info.sample_rate == 0 || info.bits_per_sample == 0) {
        return fail(error, "fmt chunk has a zero field");
      }
      info.data_bytes = size;
      const std::uint64_t frame = static_cast<std::uint64_t>(info.channels) * info.bits_per_sample / 8;
      if (frame == 0 || size % frame != 0) return fail(error, "data size is not a whole number of frames");
      info.duration = std::chrono::milliseconds{static_cast<std::int64_t>(size / frame * 1000 / info.sample_rate)};
      return info;
    }
    at = body + size + (size & 1U);  // chunks are word-aligned
  }
  return fail(error, have_fmt ? "no data chunk" : "no fmt chunk");
}

}  // namespace callwire::sim
