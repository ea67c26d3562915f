// e2e harness: starts a real callwire-server in demo mode on a free port with
// a fresh database (with JWT_SECRET when a test asks: sign-in and the demo
// accounts it prints), and Debian's Chromium through playwright-core.
//
// The server binary comes from CALLWIRE_SERVER_BIN. Without it the tests
// FAIL (never skip).
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, rmSync, createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const WEB_DIR = resolve(here, '../..');
export const DIST = join(WEB_DIR, 'dist');
export const SHOTS = join(WEB_DIR, 'e2e', 'screenshots');
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const SPEED = process.env.CALLWIRE_DEMO_SPEED || '10';

/** The server command, or an Error that says exactly what is missing. */
export function serverCommand() {
  const bin = process.env.CALLWIRE_SERVER_BIN;
  if (!bin) {
    throw new Error(
      'CALLWIRE_SERVER_BIN is not set. The web e2e tests run against a real callwire-server in demo mode: ' +
        'build it (cmake --preset dev && cmake --build --preset dev --target callwire-server) and run ' +
        'CALLWIRE_SERVER_BIN=$PWD/build/dev/examples/server/callwire-server npm run e2e (in examples/web).',
    );
  }
  const path = resolve(bin);
  if (!existsSync(path)) throw new Error(`CALLWIRE_SERVER_BIN=${bin}: no such file (${path}). Build callwire-server first.`);
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`CALLWIRE_SERVER_BIN=${bin}: not executable`);
  }
  return { cmd: path, args: [], label: path };
}

export function checkPrerequisites() {
  if (!existsSync(join(DIST, 'index.html'))) {
    throw new Error(`${DIST}/index.html is missing: run "npm run build" in examples/web first.`);
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium (or set CHROMIUM_PATH).`);
  }
}

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.unref();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
  });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the server; resolves with { url, port, dir, stop(), log() }.
 * `env`: more environment on top of demo mode (e.g. JWT_SECRET for sign-in).
 */
export async function startServer({ env: extra = {} } = {}) {
  const { cmd, args, label } = serverCommand();
  checkPrerequisites();
  const dir = mkdtempSync(join(tmpdir(), 'callwire-e2e-'));
  const port = await freePort();
  const env = { ...process.env };
  // Demo mode with the embedded SQLite file: no Telnyx key, no MongoDB, no
  // JWT unless the test asks for one.
  for (const k of ['TELNYX_API_KEY', 'TELNYX_API_V2_KEY', 'MONGODB_URL', 'JWT_SECRET', 'JWT_EXPIRES_HOURS', 'DATABASE_NAME', 'CALLWIRE_SEED_DEMO']) delete env[k];
  Object.assign(env, {
    CALLWIRE_PORT: String(port),
    CALLWIRE_HOST: '127.0.0.1',
    CALLWIRE_DB: join(dir, 'callwire.db'),
    CALLWIRE_DEMO_SPEED: SPEED,
    CALLWIRE_WEB_DIR: DIST,
    ...extra,
  });
  const logPath = join(dir, 'server.log');
  const logStream = createWriteStream(logPath);
  // cwd is the temp folder, so no .env of the repository is picked up.
  const child = spawn(cmd, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.pipe(logStream, { end: false });
  child.stderr.pipe(logStream, { end: false });
  let exited = null;
  child.on('exit', (code, signal) => {
    exited = { code, signal };
  });
  const url = `http://127.0.0.1:${port}`;
  const log = () => {
    try {
      return readFileSync(logPath, 'utf8');
    } catch {
      return '';
    }
  };

  const deadline = Date.now() + 30_000;
  let lastErr = '';
  for (;;) {
    if (exited) throw new Error(`${label} exited early (${JSON.stringify(exited)}). Its output:\n${log()}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.status === 200) break;
      lastErr = `GET /health answered ${r.status}`;
    } catch (e) {
      lastErr = String(e?.cause?.code || e);
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${label} did not answer GET /health with 200 within 30 s (${lastErr}). Its output:\n${log()}`);
    }
    await sleep(100);
  }

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      for (let i = 0; i < 100 && !exited; i++) await sleep(50);
      if (!exited) child.kill('SIGKILL');
    }
    logStream.end();
    if (!process.env.CALLWIRE_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
    return exited;
  };
  return { url, port, dir, label, stop, log };
}

/** Launches headless Chromium with a fresh profile; resolves with { context, newPage(opts), close() }. */
export async function startBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'callwire-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 860 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
      '--autoplay-policy=no-user-gesture-required',
    ],
  });
  for (const p of context.pages()) await p.close().catch(() => {});
  return {
    context,
    async newPage({ width = 1280, height = 860 } = {}) {
      const page = await context.newPage();
      await page.setViewportSize({ width, height });
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      page.jsErrors = errors;
      return page;
    },
    async close() {
      await context.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name, { fullPage = true } = {}) {
  mkdirSync(SHOTS, { recursive: true });
  const path = join(SHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

/**
 * The demo accounts a server with JWT_SECRET prints on a fresh database, read
 * from its output: { admin: {email, password}, agent: {email, password} }.
 */
export async function demoAccounts(server) {
  return until(
    () => {
      const found = {};
      for (const m of server.log().matchAll(/^\s+(admin|agent): (\S+@\S+)\s+password: (\S+)\s*$/gm)) {
        found[m[1]] = { email: m[2], password: m[3] };
      }
      return found.admin && found.agent ? found : null;
    },
    { what: 'the demo accounts in the server output', timeout: 10_000 },
  );
}

/** JSON API call from the test (not from the page); `token`: sent as the bearer token. */
export async function api(server, method, path, body, { token } = {}) {
  const headers = body === undefined ? {} : { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(server.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  if (!res.ok) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
  return json;
}

/** Polls fn until it returns a truthy value. */
export async function until(fn, { timeout = 15_000, interval = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${last instanceof Error ? last.message : JSON.stringify(last)})`);
    await sleep(interval);
  }
}
