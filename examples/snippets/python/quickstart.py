import callwire

# "calls.db": a file path; or "sqlite:///abs/path/calls.db", "mongodb://…"
with callwire.Storage("calls.db") as storage, \
     callwire.Client(storage, demo_speed=10) as client:
    storage.numbers.create("+1 312 555 0100", is_default=True)   # the caller ID
    call = client.dial("+1 (212) 555-1234")                     # -> Call(status="dialing")
    client.wait_for(call.call_id, "active")
    done = client.hangup(call.call_id)
    print(done.status, done.duration)                           # completed, whole seconds
