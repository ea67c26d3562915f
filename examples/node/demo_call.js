#!/usr/bin/env node
// Places one call with callwire from Node and prints its progression.
//
// With no Telnyx key the client runs in demo mode: the simulator plays the
// call and its webhooks take the same parser → state machine → storage path
// as real ones. Set TELNYX_API_KEY (and TELNYX_CONNECTION_ID) to place a real
// call instead.
//
//   node demo_call.js [to_number] [--fast] [--db PATH]
//
// Numbers ending in 0000 are busy, 0001 ring out, 0002 reject, 0004 are
// answered and hung up by the callee after 5 s; any other number is answered
// and hung up by this program after 3 s.
'use strict';

const os = require('node:os');
const path = require('node:path');
const { Storage, Client, isTerminal } = require('callwire');

function parseArgs(argv) {
  const args = { to: '+1 (212) 555-1234', fast: false, db: path.join(os.tmpdir(), 'callwire-node-demo-call.db') };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--fast') args.fast = true;
    else if (argv[i] === '--db' && i + 1 < argv.length) args.db = argv[++i];
    else args.to = argv[i];
  }
  return args;
}

async function main() {
  const { to, fast, db } = parseArgs(process.argv.slice(2));
  const speed = fast ? 20 : 1;
  const storage = await Storage.open(`sqlite://${path.resolve(db)}`);
  if (!(await storage.numbers.list()).some((n) => n.is_default)) {
    await storage.numbers.create({ number: '+13125550100', name: 'Demo caller ID', is_default: true });
  }
  const client = await Client.open(storage, {
    apiKey: process.env.TELNYX_API_KEY,
    connectionId: process.env.TELNYX_CONNECTION_ID,
    demoSpeed: speed,
  });

  // Collect events from before the dial, so none is missed.
  const events = client.updates();
  const call = await client.dial(to);
  console.log(`calling ${call.to_number} from ${call.from_number} (${client.mode} mode), call ${call.call_id}`);

  let last = '';
  let hangupTimer = null;
  for await (const { type, call: update } of events) {
    if (update.call_id !== call.call_id) continue;
    if (update.status !== last) {
      last = update.status;
      const extra = isTerminal(update.status) ? `  duration ${update.duration} s` : '';
      console.log(`${update.updated_at}  ${update.status}${extra}`);
    }
    // Answered and not a number the callee hangs up: hang up after 3 s.
    if (update.status === 'active' && !hangupTimer && !update.to_number.endsWith('0004')) {
      hangupTimer = setTimeout(() => client.hangup(call.call_id).catch((err) => console.error(err.message)), 3000 / speed);
    }
    if (type === 'call.ended') break;
  }
  clearTimeout(hangupTimer);

  const final = await storage.logs.get(call.call_id);
  console.log(`final: ${final.status}, ${final.duration} s, hangup cause ${final.hangup_cause || '-'}`);
  await client.close();
  await storage.close();
}

main().catch((err) => {
  console.error(`demo_call: ${err.code ? `${err.code}: ` : ''}${err.message}`);
  process.exitCode = 1;
});
