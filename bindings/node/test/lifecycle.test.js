// How processes using callwire end: nothing keeps the event loop alive once
// clients are closed (or were never listened to), environment teardown and
// process.exit() release everything without crashing, a started server keeps
// the process alive like a net.Server. Each scenario runs in its own process
// (fixtures/lifecycle.js).
'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const path = require('node:path');
const { tempDb } = require('./helpers.js');

const FIXTURE = path.join(__dirname, 'fixtures', 'lifecycle.js');

/** Runs a scenario to its end (30 s at most: a hang fails the test). */
function run(t, scenario) {
  const { dir } = tempDb();
  const r = spawnSync(process.execPath, [FIXTURE, scenario, dir], { encoding: 'utf8', timeout: 30000 });
  const detail = `status ${r.status} signal ${r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`;
  assert.equal(r.signal, null, `the process hung or crashed: ${detail}`);
  assert.equal(r.status, 0, detail);
  return r.stdout;
}

test('a client never closed nor listened to lets the process exit (teardown closes it)', (t) => {
  assert.match(run(t, 'never-closed'), /dialed dialing/);
});

test('a listener keeps the process alive until close()', (t) => {
  assert.match(run(t, 'listener-then-close'), /ended completed/);
});

test('removing the last listener lets the process exit', (t) => {
  assert.match(run(t, 'listener-removed'), /removed/);
});

test('a client that failed to start ends its event stream and lets the process exit', (t) => {
  assert.match(run(t, 'failed-start-with-listener'), /failed CW_EINVAL/);
});

test('removeAllListeners() lets the process exit', (t) => {
  assert.match(run(t, 'all-listeners-removed'), /removed all/);
});

test('an events() iterator ends when the client closes, and the process exits', (t) => {
  assert.match(run(t, 'iterator-until-close'), /iterator finished after \d+ events/);
});

test('close() with calls in flight settles every promise and the process exits', (t) => {
  assert.match(run(t, 'close-in-flight'), /settled 101, unexpected 0/);
});

test('process.exit() with live calls and events flowing exits cleanly', (t) => {
  assert.match(run(t, 'process-exit'), /exiting/);
});

test('a throwing listener is an uncaught exception; the other listeners still get events', (t) => {
  assert.match(run(t, 'listener-throws'), /ended busy; caught listener failed/);
});

test('an unref()ed server lets the process exit', (t) => {
  assert.match(run(t, 'server-unref'), /port \d+/);
});

test('a started server keeps the process alive and serves', async (t) => {
  const { dir } = tempDb();
  const child = spawn(process.execPath, [FIXTURE, 'server-alive', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  t.after(() => child.kill('SIGKILL'));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let out = '';
  const port = await new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/port (\d+)/);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', () => reject(new Error(`exited early: ${out}`)));
  });
  // The child's script has finished; only the server keeps it running.
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.equal(child.exitCode, null);
  const health = await fetch(`http://127.0.0.1:${port}/health`);
  assert.equal(health.status, 200);
  child.kill('SIGTERM');
  assert.deepEqual(await exited, { code: null, signal: 'SIGTERM' });
});
