import { Storage, Client } from 'callwire'; // or, in an async function: const { Storage, Client } = require('callwire');

const storage = await Storage.open(`sqlite://${process.cwd()}/calls.db`); // e.g. 'sqlite:///var/lib/myapp/calls.db'
await storage.numbers.create({ number: '+13125550100', is_default: true }); // the caller ID
const client = await Client.open(storage, { apiKey: process.env.TELNYX_API_KEY, demoSpeed: 10 });

client.on('call.updated', (call) => console.log(call.call_id, call.status));
const call = await client.dial('+1 (212) 555-1234');          // resolves at once: 'dialing'
await new Promise((resolve) => client.on('call.updated', (c) => c.status === 'active' && resolve())); // 'ringing', 'active'
const final = await client.hangup(call.call_id);               // 'completed', with duration
console.log(final.status, final.duration);
await client.close();
await storage.close();
