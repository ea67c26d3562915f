// docs/client.md "Speech, playback and a paused recording", on a demo call.
//   snippet-client-controls sqlite:///tmp/controls.db
#include <callwire/call_client.hpp>
#include <callwire/number_store.hpp>
#include <callwire/storage.hpp>

#include <chrono>
#include <iostream>
#include <string>
#include <thread>

int main(int argc, char** argv) {
  using namespace std::chrono_literals;
  callwire::Storage storage = callwire::Storage::open(argc > 1 ? argv[1] : "sqlite:///tmp/callwire-controls.db");
  callwire::PhoneNumber caller_id;
  caller_id.number = "+13125550100";
  caller_id.is_default = true;
  callwire::NumberStore(storage).create(caller_id);
  callwire::CallClientOptions options;
  options.demo_speed = 50;
  callwire::CallClient client(storage, options);
  callwire::Call call = client.dial("+1 (212) 555-1234");
  const std::string id = call.call_id;
  while (client.get_call(id).status != callwire::CallStatus::active) std::this_thread::sleep_for(10ms);
  client.start_recording(id);
  // snippet-begin: controls
  client.speak(id, "Please hold while we connect you.");                 // female, en-US
  client.speak(id, "<speak>Guten Tag</speak>", {"AWS.Polly.Marlene-Neural", "de-DE", "ssml"});
  client.start_playback(id, "https://example.com/voicemail.mp3");        // e.g. a voicemail drop
  client.stop_playback(id);
  call = client.pause_recording(id);   // call.recording_paused == true
  call = client.resume_recording(id);  // false again
  // snippet-end: controls
  const bool resumed = !call.recording_paused;
  call = client.hangup(id);
  std::cout << "final: " << callwire::to_string(call.status) << (resumed ? ", recording resumed" : "") << '\n';
  return resumed && call.status == callwire::CallStatus::completed ? 0 : 1;
}
