// docs/node.md "Server".
import { Storage, Client, Server } from 'callwire';

const storage = await Storage.open(`sqlite://${process.cwd()}/calls.db`);
const client = await Client.open(storage, { demoSpeed: 50 });
// snippet-begin: server
const server = new Server(client, { port: 0 });
const port = await server.start();      // also server.port, server.url
console.log((await fetch(`http://127.0.0.1:${port}/health`)).status); // 200
await server.stop();                     // final: a stopped server cannot start again
// snippet-end: server
await client.close();
await storage.close();
