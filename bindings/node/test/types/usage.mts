// The ES module view of the types (import from an .mts file, node16 resolution).
import callwire, { Storage, Client, type Call } from 'callwire';

const storage = await Storage.open('sqlite:///tmp/types-esm.db');
const client = await Client.open(storage);
const call: Call = await client.dial('+12125550123');
const same: typeof Client = callwire.Client;
console.log(call.status, same === Client);
await client.close();
await storage.close();
