// docs/node.md "Call updates": listeners and the async iterator on a demo call.
import { Storage, Client } from 'callwire';

const storage = await Storage.open(`sqlite://${process.cwd()}/calls.db`);
await storage.numbers.create({ number: '+13125550100', is_default: true });
const client = await Client.open(storage, { demoSpeed: 50 });
const seen = [];
// snippet-begin: updates
client.on('call.created', (call) => seen.push(`dialed ${call.to_number}`));
client.on('call.updated', (call) => seen.push(call.status));  // every change: status, flags, recording …
client.on('call.ended', (call) => seen.push(`ended ${call.status}`)); // once it is terminal (again if an ended call changes)
client.on('update', ({ type, call }) => console.log(type, call.status)); // all of them
client.on('close', () => console.log('closed'));               // the update stream ended (client closed, or failed to start)

const updates = client.updates();                               // from this moment until close()
await client.dial('+1 212 555 0004');                           // answered, hung up by the callee after 5 s
for await (const { type, call } of updates) {
  if (type === 'call.ended') break;                             // break ends this iterator
}
// snippet-end: updates
await client.close();
await storage.close();
if (seen[0] !== 'dialed +12125550004' || seen.at(-1) !== 'ended completed') throw new Error(seen.join(', '));
console.log(seen.join(', '));
