// docs/node.md "Errors": a conflict shown to the user, a call control on an ended call.
import { Storage, Client } from 'callwire';

const storage = await Storage.open(`sqlite://${process.cwd()}/calls.db`);
await storage.numbers.create({ number: '+13125550100', is_default: true });
const client = await Client.open(storage, { demoSpeed: 50 });
const req = { body: { number: '+1 312 555 0100' } };
const answered = [];
const res = { status(code) { answered.push(code); return this; }, json(body) { answered.push(body.detail); } };
const ended = new Promise((resolve) => client.on('call.ended', resolve));
const callId = (await client.dial('+1 212 555 0004')).call_id;  // answered, then hung up by the callee
await ended;
// snippet-begin: errors
try {
  await storage.numbers.create(req.body.number);
} catch (err) {
  if (err.code !== 'CW_ECONFLICT') throw err;
  res.status(409).json({ detail: err.message }); // This number is already in your list.
  console.warn(`adding a number failed: ${err.message} (${err.detail})`);
}

try {
  await client.sendDtmf(callId, '1');
} catch (err) {
  if (err.code === 'CW_ECARRIER') console.log(`Telnyx said ${err.httpStatus} ${err.carrierCode}`);
  else if (err.code === 'CW_ECONFLICT') console.log('the call has ended');
  else throw err;
}
// snippet-end: errors
if (answered[0] !== 409 || answered[1] !== 'This number is already in your list.') throw new Error(`answered ${answered}`);
await client.close();
await storage.close();
