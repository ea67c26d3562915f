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

describe('sign-in, accounts and roles against callwire-server with JWT_SECRET (demo mode)', () => {
  before(async () => {
    server = await startServer({ env: { JWT_SECRET: randomBytes(32).toString('hex') } });
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

  test('the new agent signs in in a second browser: no Users tab; places a demo call', async () => {
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

    await agentPage.locator('#dial-number').fill('4155550123');
    await agentPage.getByTestId('call-button').click();
    await agentPage.locator('[data-testid=call-panel][data-status=active]').waitFor({ timeout: 20_000 });
    await screenshot(agentPage, 'signin-03-agent-call');
    // Whatever the server reports during the call, the Users screen shows it.
    // (Once presence follows calls — issue 16, server side — it is 'busy'
    // here: the first test.todo below.)
    await usersScreenAgreesWithServer(newAgent.email);
    await agentPage.getByTestId('hangup-button').click();
    await agentPage.locator('[data-testid=call-panel][data-status=completed]').waitFor({ timeout: 20_000 });
  });

  test("the administrator's Users screen shows the agent with the status the server reports", async () => {
    await usersScreenAgreesWithServer(newAgent.email);
    assert.equal(await userRow(adminPage, newAgent.email).getAttribute('data-disabled'), 'false');
  });

  // Next steps of issue 16 on the server; to be asserted here once built.
  test.todo('the administrator sees the agent busy during the call and wrap_up after it');
  test.todo("the agent's Call Logs show only the agent's own calls");

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
    await screenshot(agentPage, 'signin-04-session-ended');

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
    await screenshot(agentPage, 'signin-05-over-a-form');
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
    await screenshot(agentPage, 'signin-06-disabled');
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
    await screenshot(agentPage, 'signin-07-phone');
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
