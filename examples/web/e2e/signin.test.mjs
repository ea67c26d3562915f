// End-to-end tests of sign-in, accounts and roles: headless Chromium against a
// real callwire-server in demo mode WITH JWT_SECRET (lib/harness.mjs). On a
// fresh database the server adds a demo administrator and a demo agent and
// prints their random passwords; the tests read them from its output.
//
//   CALLWIRE_SERVER_BIN=/path/to/callwire-server npm run e2e
//
// Two browsers (two profiles, so nothing is shared): the administrator's and
// the agent's. The tests run in order and build on each other. Every
// browser comes from 127.0.0.1, and the server throttles an address after 5
// failed sign-ins in 15 minutes: the whole file fails at most 2.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { api, demoAccounts, screenshot, startBrowser, startServer, until } from './lib/harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** The administrator's browser and the agent's. */
let adminBrowser;
let agentBrowser;
/** Every page, to check for JavaScript errors at the end. */
const pages = [];
/** The demo accounts the server printed. */
let demo;
/** The pages of the administrator and of the agent the administrator adds. */
let adminPage;
let agentPage;
/** The calls the agent and the administrator placed (their call ids). */
let agentCallId;
let adminCallId;
/** Wrap-up after a call, in seconds (CALLWIRE_WRAP_UP_SECONDS): short, so the test sees it end. */
const WRAP_UP_SECONDS = 2;
const newAgent = { name: 'Erin Agent', email: 'erin@example.com', password: 'erin first password' };

async function newPage(browser, opts) {
  const page = await browser.newPage(opts);
  pages.push(page);
  return page;
}

/** Signs in on the sign-in screen (or the one over the app: `form` scopes it). */
async function signIn(page, { email, password }, form = page.getByTestId('signin-form')) {
  await form.getByLabel('Email').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByTestId('signin-submit').click();
}

async function waitSignedIn(page) {
  await page.getByTestId('account').waitFor();
  await page.locator('[data-testid=connection][data-state=open]').waitFor({ timeout: 15_000 });
}

const tokenOf = (page) => page.evaluate(() => sessionStorage.getItem('callwire.token'));
const userRow = (page, email) => page.locator(`[data-testid=user-row][data-email="${email}"]`);

/** The users as the server has them now, asked with the administrator's token. */
async function serverUsers() {
  return api(server, 'GET', '/api/users/', undefined, { token: await tokenOf(adminPage) });
}

/**
 * The Users screen shows `email` with the status the server reports. Statuses
 * change with calls and connections, so compare until they agree (refreshing
 * the list), rather than once.
 */
async function usersScreenAgreesWithServer(email) {
  let last = '';
  await until(
    async () => {
      await adminPage.getByTestId('users-refresh').click();
      const u = (await serverUsers()).find((x) => x.email === email);
      const shown = await userRow(adminPage, email).getAttribute('data-status', { timeout: 2000 });
      last = `server ${u?.status}, screen ${shown}`;
      return u && shown === u.status;
    },
    { what: `the Users screen to show ${email} as the server does`, timeout: 10_000, interval: 300 },
  ).catch((e) => {
    throw new Error(`${e.message}: ${last}`);
  });
}

/** The administrator resets the agent's password in the Users screen: every session of the agent ends. */
async function resetAgentPassword(password) {
  await userRow(adminPage, newAgent.email).getByTestId('user-reset-password').click();
  const pw = adminPage.getByTestId('password-form');
  await pw.getByLabel('New password').fill(password);
  await pw.getByRole('button', { name: 'Set password' }).click();
  await pw.waitFor({ state: 'detached' });
  newAgent.password = password;
}

async function gotoTab(page, name) {
  await page.getByRole('tab', { name }).click();
}

/**
 * Records in the page every value `attr` of the element `selector` takes
 * (a MutationObserver), so a state that lasts a moment — the wrap-up — is
 * seen however the test's polling falls. Resolves with a function that
 * answers the values seen so far, in order, repeats left out.
 */
async function recordAttribute(page, selector, attr) {
  const key = `${selector}|${attr}`;
  await page.evaluate(
    ({ selector, attr, key }) => {
      const all = (window.__recorded ??= {});
      const seen = (all[key] = []);
      const note = () => {
        const v = document.querySelector(selector)?.getAttribute(attr);
        if (v && seen[seen.length - 1] !== v) seen.push(v);
      };
      note();
      new MutationObserver(note).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: [attr] });
    },
    { selector, attr, key },
  );
  return () => page.evaluate((key) => window.__recorded[key], key);
}

/** True when `want` appears in `seen` in this order (other values may come between). */
function inOrder(seen, want) {
  let i = 0;
  for (const v of seen) if (v === want[i]) i++;
  return i === want.length;
}

/** Counts the requests a page sends whose path starts with `prefix`. */
function countRequests(page, prefix) {
  let n = 0;
  page.on('request', (r) => {
    if (new URL(r.url()).pathname.startsWith(prefix)) n++;
  });
  return () => n;
}

/** The call ids the Call Logs screen lists, once they are `want` (in any order). */
async function logShows(page, want, what) {
  const sorted = [...want].sort();
  let last = [];
  await until(
    async () => {
      last = (await page.locator('[data-testid=log-row]').evaluateAll((rows) => rows.map((r) => r.dataset.callId))).sort();
      return JSON.stringify(last) === JSON.stringify(sorted);
    },
    { what, timeout: 15_000, interval: 200 },
  ).catch((e) => {
    throw new Error(`${e.message}: shown ${JSON.stringify(last)}, wanted ${JSON.stringify(sorted)}`);
  });
}

async function totalCalls(page) {
  return (await page.locator('.stats div').filter({ hasText: 'Total calls' }).locator('dd').textContent()).trim();
}

describe('sign-in, accounts and roles against callwire-server with JWT_SECRET (demo mode)', () => {
  before(async () => {
    server = await startServer({ env: { JWT_SECRET: randomBytes(32).toString('hex'), CALLWIRE_WRAP_UP_SECONDS: String(WRAP_UP_SECONDS) } });
    demo = await demoAccounts(server);
    adminBrowser = await startBrowser();
    agentBrowser = await startBrowser();
  });

  after(async () => {
    await adminBrowser?.close();
    await agentBrowser?.close();
    const exit = await server?.stop();
    if (process.env.CALLWIRE_E2E_VERBOSE) console.log(`server exit: ${JSON.stringify(exit)}\n${server?.log()}`);
  });

  test('the server requires a sign-in and printed the demo accounts', async () => {
    assert.equal(demo.admin.email, 'admin@demo.callwire.dev');
    assert.equal(demo.agent.email, 'agent@demo.callwire.dev');
    const res = await fetch(`${server.url}/api/auth/me`);
    assert.equal(res.status, 401, 'GET /api/auth/me without a token');
  });

  test('the page opens on the sign-in screen; a wrong password shows the server sentence', async () => {
    adminPage = await newPage(adminBrowser);
    await adminPage.goto(`${server.url}/`);
    await adminPage.getByTestId('signin-screen').waitFor();
    assert.equal(await adminPage.getByRole('tablist').count(), 0, 'nothing of the softphone before the sign-in');
    await signIn(adminPage, { email: demo.admin.email, password: 'not the password' });
    await adminPage.getByTestId('signin-error').getByText('The email or the password is not right.').waitFor();
    assert.equal(await adminPage.getByLabel('Password').inputValue(), '', 'the password field is emptied');
    await screenshot(adminPage, 'signin-01-wrong-password');
  });

  test('the administrator signs in: name, role and status in the header, the token in sessionStorage only', async () => {
    await signIn(adminPage, demo.admin);
    await waitSignedIn(adminPage);
    assert.equal((await adminPage.getByTestId('account-name').textContent()).trim(), 'Demo Admin');
    assert.equal((await adminPage.getByTestId('account-role').textContent()).trim(), 'Administrator');
    const me = await api(server, 'GET', '/api/auth/me', undefined, { token: await tokenOf(adminPage) });
    assert.equal(me.kind, 'user');
    assert.equal(await adminPage.getByLabel('Your status').inputValue(), me.user.status, 'the header shows the status the server has');
    const token = await tokenOf(adminPage);
    assert.ok(token, 'the token is in sessionStorage');
    assert.ok(!adminPage.url().includes(token), 'never in the URL');
    assert.equal(await adminPage.evaluate(() => localStorage.getItem('callwire.token')), null, 'not in localStorage');
    // A reload stays signed in (sessionStorage).
    await adminPage.reload();
    await waitSignedIn(adminPage);
  });

  test('the administrator sets their status to away and back', async () => {
    await adminPage.getByLabel('Your status').selectOption('away');
    await until(async () => (await serverUsers()).find((u) => u.email === demo.admin.email)?.status === 'away', { what: 'away on the server' });
    await adminPage.getByLabel('Your status').selectOption('available');
    await until(async () => (await serverUsers()).find((u) => u.email === demo.admin.email)?.status === 'available', { what: 'available on the server' });
  });

  test('the Users screen lists the demo accounts; the administrator adds an agent', async () => {
    await gotoTab(adminPage, 'Users');
    await userRow(adminPage, demo.agent.email).waitFor();
    await userRow(adminPage, demo.admin.email).getByText('You').waitFor();
    await adminPage.getByTestId('add-user').click();
    const form = adminPage.getByTestId('add-user-form');
    await form.getByLabel('Name').fill(newAgent.name);
    await form.getByLabel('Email').fill(demo.agent.email); // taken
    await form.getByLabel('Password').fill(newAgent.password);
    await form.getByRole('button', { name: 'Add user' }).click();
    await form.getByTestId('add-user-error').getByText('An account with this email already exists.').waitFor();
    await form.getByLabel('Email').fill(newAgent.email);
    assert.equal(await form.getByLabel('Role').inputValue(), 'agent', 'agent by default');
    await form.getByRole('button', { name: 'Add user' }).click();
    await userRow(adminPage, newAgent.email).waitFor();
    const created = (await serverUsers()).find((u) => u.email === newAgent.email);
    assert.equal(created?.role, 'agent');
    assert.equal(created?.name, newAgent.name);
    await screenshot(adminPage, 'signin-02-users');
  });

  test('the last administrator cannot become an agent: the server sentence is shown', async () => {
    await userRow(adminPage, demo.admin.email).getByTestId('user-role').selectOption('agent');
    await adminPage.getByTestId('users-error').getByText('The team needs at least one administrator who can sign in.').waitFor();
    await until(async () => (await userRow(adminPage, demo.admin.email).getByTestId('user-role').inputValue()) === 'admin', {
      what: 'the role the server kept',
    });
    assert.equal((await serverUsers()).find((u) => u.email === demo.admin.email).role, 'admin');
  });

  test('the new agent signs in in a second browser: no Users tab; the administrator sees them come online', async () => {
    const usersFetched = countRequests(adminPage, '/api/users/');
    assert.equal(await userRow(adminPage, newAgent.email).getAttribute('data-status'), 'offline', 'never signed in yet');
    agentPage = await newPage(agentBrowser);
    await agentPage.goto(`${server.url}/`);
    await agentPage.getByTestId('signin-screen').waitFor();
    await signIn(agentPage, newAgent);
    await waitSignedIn(agentPage);
    assert.equal((await agentPage.getByTestId('account-name').textContent()).trim(), newAgent.name);
    assert.equal((await agentPage.getByTestId('account-role').textContent()).trim(), 'Agent');
    assert.equal(await agentPage.getByRole('tab', { name: 'Users' }).count(), 0, 'agents have no Users screen');
    // The administrator's session is its own: still signed in.
    assert.notEqual(await tokenOf(agentPage), await tokenOf(adminPage));
    // Their socket opened: available, on the administrator's screen as it happens (agent.updated).
    await adminPage.locator(`[data-testid=user-row][data-email="${newAgent.email}"][data-status=available]`).waitFor({ timeout: 10_000 });
    assert.equal(usersFetched(), 0, 'over the socket, not by fetching the list again');
  });

  test('the administrator sees the agent on a call, then in wrap-up, then available — live, without a refresh', async () => {
    const row = `[data-testid=user-row][data-email="${newAgent.email}"]`;
    const adminSaw = await recordAttribute(adminPage, row, 'data-status');
    const agentSaw = await recordAttribute(agentPage, '[data-testid=account]', 'data-status');
    const usersFetched = countRequests(adminPage, '/api/users/');

    await agentPage.locator('#dial-number').fill('4155550123');
    await agentPage.getByTestId('call-button').click();
    const panel = agentPage.locator('[data-testid=call-panel][data-status=active]');
    await panel.waitFor({ timeout: 20_000 });
    agentCallId = await panel.getAttribute('data-call-id');

    // While the call is live: busy, "On a call", on both screens, and on the server.
    await adminPage.locator(`${row}[data-status=busy]`).waitFor({ timeout: 10_000 });
    assert.equal((await userRow(adminPage, newAgent.email).getByTestId('user-status').textContent()).trim(), 'On a call');
    await agentPage.locator('[data-testid=account][data-status=busy]').waitFor({ timeout: 10_000 });
    assert.equal((await serverUsers()).find((u) => u.email === newAgent.email).status, 'busy');
    assert.equal(usersFetched(), 0, 'busy came over the socket: the Users list was not fetched again');
    await screenshot(adminPage, 'signin-03-agent-busy');

    await agentPage.getByTestId('hangup-button').click();
    await agentPage.locator('[data-testid=call-panel][data-status=completed]').waitFor({ timeout: 20_000 });
    // Wrap-up for WRAP_UP_SECONDS, then available.
    await adminPage.locator(`${row}[data-status=available]`).waitFor({ timeout: 10_000 + WRAP_UP_SECONDS * 1000 });
    await agentPage.locator('[data-testid=account][data-status=available]').waitFor({ timeout: 10_000 });
    const seenByAdmin = await adminSaw();
    const seenByAgent = await agentSaw();
    assert.ok(inOrder(seenByAdmin, ['available', 'busy', 'wrap_up', 'available']), `the administrator's Users screen: ${seenByAdmin}`);
    assert.ok(inOrder(seenByAgent, ['available', 'busy', 'wrap_up', 'available']), `the agent's header: ${seenByAgent}`);
  });

  test("the administrator's Users screen shows the agent with the status the server reports", async () => {
    await usersScreenAgreesWithServer(newAgent.email);
    assert.equal(await userRow(adminPage, newAgent.email).getAttribute('data-disabled'), 'false');
  });

  test("Call Logs: the agent's show only their call, the administrator's everyone's with who placed them, and the filter narrows", async () => {
    // The administrator places a call of their own.
    await gotoTab(adminPage, 'Dialer');
    await adminPage.locator('#dial-number').fill('4155550166');
    await adminPage.getByTestId('call-button').click();
    const panel = adminPage.locator('[data-testid=call-panel][data-status=active]');
    await panel.waitFor({ timeout: 20_000 });
    adminCallId = await panel.getAttribute('data-call-id');
    await adminPage.getByTestId('hangup-button').click();
    await adminPage.locator('[data-testid=call-panel][data-status=completed]').waitFor({ timeout: 20_000 });

    // The agent: their own call only, no filter, no names.
    await gotoTab(agentPage, 'Call Logs');
    await logShows(agentPage, [agentCallId], "the agent's own call only");
    await until(async () => (await totalCalls(agentPage)) === '1', { what: "the agent's stats count their call only" });
    assert.equal(await agentPage.locator('#log-agent').count(), 0, 'agents have no Placed by filter');
    assert.equal(await agentPage.getByTestId('log-agent').count(), 0, 'nor names');

    // The administrator: both, each with who placed it.
    await gotoTab(adminPage, 'Call Logs');
    await logShows(adminPage, [agentCallId, adminCallId], "the agent's call and the administrator's");
    const placedBy = async (id) => (await adminPage.locator(`[data-testid=log-row][data-call-id="${id}"]`).getByTestId('log-agent').textContent()).trim();
    await until(async () => (await placedBy(agentCallId)) === newAgent.name, { what: "the agent's name on their call" });
    assert.equal(await placedBy(adminCallId), 'Demo Admin');
    await until(async () => (await totalCalls(adminPage)) === '2', { what: "the administrator's stats count both" });
    await screenshot(adminPage, 'signin-04-admin-logs');

    // The filter: the agent's call only, in the list, the stats and the export.
    await adminPage.getByLabel('Placed by').selectOption({ label: newAgent.name });
    await logShows(adminPage, [agentCallId], "the agent's call only, filtered");
    await until(async () => (await totalCalls(adminPage)) === '1', { what: 'the stats narrowed too' });
    const agentId = (await serverUsers()).find((u) => u.email === newAgent.email).id;
    assert.ok((await adminPage.getByTestId('export-csv').getAttribute('href')).includes(`agent_id=${encodeURIComponent(agentId)}`));
    await adminPage.getByLabel('Placed by').selectOption({ label: 'All' });
    await logShows(adminPage, [agentCallId, adminCallId], 'both again');
    await gotoTab(adminPage, 'Users');
  });

  test("the agent's Settings are read-only and their Contacts have no Delete", async () => {
    await gotoTab(agentPage, 'Settings');
    await agentPage.getByTestId('settings-read-only').waitFor();
    assert.equal(await agentPage.getByTestId('save-settings').count(), 0, 'no Save');
    assert.ok(await agentPage.getByLabel('Connection ID').isDisabled());
    assert.equal(await agentPage.getByRole('button', { name: 'Add number' }).count(), 0);
    assert.equal(await agentPage.getByRole('button', { name: /^Remove / }).count(), 0);
    await screenshot(agentPage, 'signin-05-agent-settings');
    await gotoTab(agentPage, 'Contacts');
    await agentPage.getByTestId('contact-row').first().waitFor();
    assert.equal(await agentPage.getByRole('button', { name: /^Delete / }).count(), 0, 'no Delete for agents');
    assert.ok((await agentPage.getByRole('button', { name: /^Edit / }).count()) > 0, 'editing stays');
    await gotoTab(agentPage, 'Dialer');
  });

  test('a password reset ends the agent’s session at once: the socket’s 1008 brings the sign-in over the app, the typed number kept', async () => {
    // The agent types a number; meanwhile the administrator resets their password.
    await agentPage.getByRole('button', { name: 'New call' }).click();
    await agentPage.locator('#dial-number').fill('4155550188');
    const typed = await agentPage.locator('#dial-number').inputValue();

    await resetAgentPassword('erin second password');

    // The server closes the agent's socket (1008); the app asks /api/auth/me
    // and its 401 opens the sign-in — before the agent does anything.
    const overlay = agentPage.getByTestId('signin-overlay');
    await overlay.waitFor();
    assert.equal((await overlay.getByTestId('signin-notice').textContent()).trim(), 'Invalid token: the session has ended; sign in again');
    assert.equal(await overlay.getByLabel('Email').inputValue(), newAgent.email, 'the email is filled in');
    assert.equal(await agentPage.locator('#dial-number').inputValue(), typed, 'the number typed is still there behind the sign-in');
    assert.equal(await agentPage.getByTestId('call-panel').count(), 0, 'no call');
    await screenshot(agentPage, 'signin-06-session-ended');

    await signIn(agentPage, newAgent, overlay);
    await overlay.waitFor({ state: 'detached' });
    await agentPage.locator('[data-testid=connection][data-state=open]').waitFor({ timeout: 15_000 });
    assert.equal(await agentPage.locator('#dial-number').inputValue(), typed, 'still typed after the sign-in');
    await agentPage.getByTestId('call-button').click();
    const panel = agentPage.locator('[data-testid=call-panel][data-status=active]');
    await panel.waitFor({ timeout: 20_000 });
    const call = await api(server, 'GET', `/api/call-status/status/${await panel.getAttribute('data-call-id')}`, undefined, {
      token: await tokenOf(agentPage),
    });
    assert.equal(call.to_number, '+14155550188');
    const active = await api(server, 'GET', '/api/call-status/active', undefined, { token: await tokenOf(adminPage) });
    assert.equal(active.filter((c) => c.to_number === '+14155550188').length, 1, 'placed once');
    await agentPage.getByTestId('hangup-button').click();
    await agentPage.locator('[data-testid=call-panel][data-status=completed]').waitFor({ timeout: 20_000 });
  });

  test('a session ended while a contact form is open: the sign-in comes on top, the form is kept and saved after', async () => {
    await gotoTab(agentPage, 'Contacts');
    await agentPage.getByRole('button', { name: 'Add contact' }).click();
    const form = agentPage.getByRole('dialog', { name: 'New contact' });
    await form.waitFor();
    await form.getByLabel('Name').fill('Dorothy Vaughan');
    await form.getByLabel('Phone').fill('+1 (757) 555-0177');

    await resetAgentPassword('erin third password');
    const overlay = agentPage.getByTestId('signin-overlay');
    await overlay.waitFor();
    // The contact form waits below, as typed.
    assert.equal(await form.getByLabel('Name').inputValue(), 'Dorothy Vaughan');
    await screenshot(agentPage, 'signin-07-over-a-form');
    // The sign-in is on top and usable (a click would fail on a covered or inert control).
    await signIn(agentPage, newAgent, overlay);
    await overlay.waitFor({ state: 'detached' });
    await form.getByRole('button', { name: 'Save contact' }).click();
    await form.waitFor({ state: 'hidden' });
    await agentPage.getByTestId('contact-row').filter({ hasText: 'Dorothy Vaughan' }).waitFor();
    const found = await api(server, 'GET', '/api/contacts/?search=Dorothy', undefined, { token: await tokenOf(agentPage) });
    assert.equal(found.length, 1, 'saved once');
    assert.equal(found[0].phone, '+17575550177');
    await gotoTab(agentPage, 'Dialer');
  });

  test('disabling the agent sends them back to sign-in, and they cannot sign in again', async () => {
    await userRow(adminPage, newAgent.email).getByTestId('user-toggle-disabled').click();
    await until(async () => (await userRow(adminPage, newAgent.email).getAttribute('data-disabled')) === 'true', { what: 'disabled in the list' });
    assert.equal((await serverUsers()).find((u) => u.email === newAgent.email).disabled, true);

    // The server closes the agent's socket (1008): the sign-in opens by itself.
    const overlay = agentPage.getByTestId('signin-overlay');
    await overlay.waitFor();
    assert.equal((await overlay.getByTestId('signin-notice').textContent()).trim(), 'Invalid token: the account is disabled');
    await signIn(agentPage, newAgent, overlay);
    await overlay.getByTestId('signin-error').getByText('The email or the password is not right.').waitFor();
    await screenshot(agentPage, 'signin-08-disabled');
    await overlay.getByRole('button', { name: 'Sign out' }).click();
    await agentPage.getByTestId('signin-screen').waitFor();
    assert.equal(await tokenOf(agentPage), null);
  });

  test('enabled again, the agent signs in at phone width without horizontal scrolling', async () => {
    await userRow(adminPage, newAgent.email).getByTestId('user-toggle-disabled').click();
    await until(async () => (await userRow(adminPage, newAgent.email).getAttribute('data-disabled')) === 'false', { what: 'enabled in the list' });
    await agentPage.setViewportSize({ width: 375, height: 760 });
    await signIn(agentPage, newAgent);
    await waitSignedIn(agentPage);
    const width = await agentPage.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 375, `no horizontal scrolling at 375 px (scrollWidth ${width})`);
    await screenshot(agentPage, 'signin-09-phone');
  });

  test('sign-out ends the session on the server', async () => {
    const token = await tokenOf(adminPage);
    await adminPage.getByTestId('sign-out').click();
    await adminPage.getByTestId('signin-screen').getByText('You signed out.').waitFor();
    assert.equal(await tokenOf(adminPage), null);
    const res = await fetch(`${server.url}/api/auth/me`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 401, 'the old token no longer works');
  });

  test('no JavaScript errors on any page', () => {
    const errors = pages.flatMap((p) => p.jsErrors ?? []);
    assert.deepEqual(errors, []);
  });
});
