// docs/node.md "Logging": the library's records handed to a function. A
// server started and stopped makes one ("listening on …", at info); the
// program fails unless the handler got it.
import { Storage, Client, Server } from 'callwire';

const storage = await Storage.open(`sqlite://${process.cwd()}/calls.db`);
const client = await Client.open(storage, { demoSpeed: 50 });
const logger = { seen: [], log(record) { this.seen.push(record); console.log(record.component, record.message); } };
// snippet-begin: logging
import { setLogHandler } from 'callwire';
setLogHandler('info', ({ level, time, component, message, requestId }) => {
  logger.log({ level, time, component, message, requestId });   // pino, winston, console…
});
// snippet-end: logging
const server = new Server(client, { port: 0 });
await server.start();
await server.stop();
for (let i = 0; i < 100 && !logger.seen.some((r) => r.message.startsWith('listening on')); ++i) {
  await new Promise((resolve) => setTimeout(resolve, 20));   // records arrive from the event loop
}
// snippet-begin: default
setLogHandler('warn', null);   // the library's own stderr lines again, warnings and errors only
// snippet-end: default
await client.close();
await storage.close();
if (!logger.seen.some((r) => r.message.startsWith('listening on') && r.level === 'info' && r.time instanceof Date)) {
  throw new Error('the handler got no "listening on" record');
}
console.log('logging: ok');
