// callwire — the demo recordings' audio: small RIFF/WAVE PCM files (internal).
//
// DemoCarrier writes one file per simulated recording so that demo mode
// serves real, playable audio where Telnyx would serve the call's recording.
// Pure functions, thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace callwire::sim {

/// What the header of a PCM WAV file says.
struct WavInfo {
  std::uint16_t format = 0;           ///< 1 = PCM
  std::uint16_t channels = 0;
  std::uint32_t sample_rate = 0;
  std::uint16_t bits_per_sample = 0;
  std::uint32_t data_bytes = 0;       ///< size of the "data" chunk
  std::chrono::milliseconds duration{0};
};

inline constexpr std::uint32_t kWavSampleRate = 8000;  ///< telephony rate

/// A 16-bit PCM WAV (44-byte canonical header, then samples) of the given
/// duration (rounded down to whole samples, at least one sample): a North
/// American ringback tone (440 Hz + 480 Hz, 2 s on, 4 s off) with 10 ms fades,
/// which sounds like a phone line. Deterministic. `channels` 1 is mono (a
/// "single" recording); 2 is stereo as Telnyx's "dual" recordings are — the
/// first leg (the caller, silent in the demo) on channel A, the far end's
/// tone on channel B.
std::string make_wav(std::chrono::milliseconds duration, std::uint32_t sample_rate = kWavSampleRate,
                     std::uint16_t channels = 1);

/// Reads a RIFF/WAVE header: checks "RIFF", the RIFF size (file size − 8),
/// "WAVE", a "fmt " chunk and a "data" chunk that fits in the file. On failure
/// returns std::nullopt and says why in *error.
std::optional<WavInfo> inspect_wav(std::string_view bytes, std::string* error = nullptr);

}  // namespace callwire::sim
