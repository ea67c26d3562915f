// callwire — what each command does to a simulated call: phase 2 of the plan
// (plan.hpp).
//
// Commands take effect in the order they were sent, as Telnyx carries out one
// call's commands: each one's latency is drawn on its own (key "c<i>/latency"),
// but a command never takes effect before, or at the same moment as, the one
// sent ahead of it — else a hangup sent right after record_start could overtake
// it and the recording would silently vanish.
//
// Each apply_* function changes the plan as of the command's effect time `t`;
// `issued` is when it was sent and `key` its random key ("c<i>").
#pragma once

#include <string>
#include <vector>

#include "sim/command.hpp"
#include "sim/plan.hpp"
#include "sim/types.hpp"

namespace callwire::sim {

/// What the commands need besides the plan: the dial (a transfer's default
/// caller ID), the call's ids (a new leg shares its call_session_id) and the
/// delays.
struct CommandContext {
  const Dial& dial;
  const Ids& ids;
  const Delays& delay;
};

/// When each command takes effect: its issue time plus its own latency, and
/// strictly after the command before it.
std::vector<Micros> effect_times(const std::vector<Command>& commands, const Delays& delay);

/// Applies every command to the plan, in the order sent.
void apply_commands(Plan& plan, const std::vector<Command>& commands, const CommandContext& ctx);

/// hangup: before the answer the call is canceled (originator_cancel, never
/// before call.initiated) and the answer and record-from-answer never happen;
/// after it the call completes (normal_clearing from the caller). The end is
/// decided at `issued`, though call.hangup comes at `t`.
void apply_hangup(Plan& plan, Micros issued, Micros t, const std::string& key);
/// record_start: a new recording from `t`, with its own id.
void apply_record_start(Plan& plan, Micros t, const std::string& key, const std::string& format,
                        const std::string& channels, const KeyedRandom& random);
/// record_stop: every recording still running stops at `t`.
void apply_record_stop(Plan& plan, Micros issued, Micros t);
/// record_pause / record_resume: running recordings leave out [pause, resume).
void apply_record_pause(Plan& plan, Micros t);
void apply_record_resume(Plan& plan, Micros t);
/// speak: speech of speak_per_char per character (at least 1 s), queued after
/// any speech still playing.
void apply_speak(Plan& plan, Micros t, const std::string& key, const std::string& text, const Timings& timings);
/// playback_start: the audio plays for Timings::playback and replaces the one
/// playing; playback_stop stops it.
void apply_playback_start(Plan& plan, Micros t, const std::string& key, const std::string& audio_url,
                          const Timings& timings);
void apply_playback_stop(Plan& plan, Micros t);
/// transfer: a second leg to `to`, whose last four digits pick what it does
/// (busy, rejected and no answer end the new leg only).
void apply_transfer(Plan& plan, Micros t, const std::string& key, const std::string& to, const std::string& from,
                    const CommandContext& ctx);

}  // namespace callwire::sim
