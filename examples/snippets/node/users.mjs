// docs/node.md "Users".
import { Storage } from 'callwire';

const storage = await Storage.open(`sqlite://${process.cwd()}/calls.db`);
const res = { status() { return this; }, json() { throw new Error('the right password was refused'); } };
// snippet-begin: users
const ada = await storage.users.create({ email: 'ada@example.org', name: 'Ada', password: 'correct horse', role: 'admin' });
const user = await storage.users.authenticate('ADA@example.org', 'correct horse'); // a User, or null
if (user === null) res.status(401).json({ detail: 'Wrong email or password.' });  // one answer for every failure
await storage.users.update(ada.id, { disabled: true });  // token_version + 1: her tokens stop working
await storage.users.setStatus(ada.id, 'away');            // 'available' or 'away'
// snippet-end: users
const now = await storage.users.get(ada.id);
if (!now.disabled || now.status !== 'away' || now.token_version !== ada.token_version + 1) throw new Error(JSON.stringify(now));
console.log('users: ok');
await storage.close();
