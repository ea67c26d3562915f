// End-to-end tests of the web softphone: headless Chromium (playwright-core,
// Debian's /usr/bin/chromium) against a real callwire-server in demo mode,
// started here on a free port with a fresh database (see lib/harness.mjs).
//
//   CALLWIRE_SERVER_BIN=/path/to/callwire-server npm run e2e
//
// The tests run in order and share one server: the call placed by one test
// is the call log looked at by the next. Each saves a screenshot into
// e2e/screenshots/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { api, checkPrerequisites, screenshot, serverCommand, startBrowser, startServer, until } from './lib/harness.mjs';

/** @type {Awaited<ReturnType<typeof startServer>>} */
let server;
/** @type {Awaited<ReturnType<typeof startBrowser>>} */
let browser;
/** Every page of the suite, to check for JavaScript errors at the end. */
const pages = [];

// The first call (dialled from the keypad) and what the WebSocket showed of it.
let firstCall = null;

/** A page that records WebSocket frames and call-status polls. */
async function newPage(opts) {
  const page = await browser.newPage(opts);
  pages.push(page);
  page.wsFrames = [];
  page.statusPolls = [];
  page.on('websocket', (ws) => {
    if (!ws.url().includes('/ws/calls')) return;
    ws.on('framereceived', (f) => {
      const text = typeof f.payload === 'string' ? f.payload : f.payload.toString('utf8');
      try {
        page.wsFrames.push(JSON.parse(text));
      } catch {
        page.wsFrames.push({ raw: text });
      }
    });
  });
  page.on('request', (r) => {
    if (r.url().includes('/api/call-status/')) page.statusPolls.push(`${r.method()} ${r.url()}`);
  });
  return page;
}

/** Opens the app on a tab and waits for the live-updates socket. */
async function openApp(page, tab = 'dialer') {
  await page.goto(`${server.url}/#${tab}`);
  await page.locator('[data-testid=connection][data-state=open]').waitFor({ timeout: 15_000 });
}

async function gotoTab(page, name) {
  await page.getByRole('tab', { name }).click();
}

function statusesOf(page, callId) {
  return page.wsFrames.filter((m) => m.call && m.call.call_id === callId).map((m) => m.call.status);
}

// Fails (never skips) with a message saying what is missing: the server
// binary (CALLWIRE_SERVER_BIN), the production build, or Chromium.
test('prerequisites: callwire-server binary, dist/ build, Chromium', () => {
  const { label } = serverCommand();
  checkPrerequisites();
  console.log(`# e2e server: ${label}`);
});

describe('callwire web softphone against callwire-server (demo mode)', () => {
  before(async () => {
    server = await startServer();
    browser = await startBrowser();
  });

  after(async () => {
    await browser?.close();
    const exit = await server?.stop();
    if (process.env.CALLWIRE_E2E_VERBOSE) console.log(`server exit: ${JSON.stringify(exit)}\n${server?.log()}`);
  });

  test('health reports demo mode and the UI shows the Demo badge', async () => {
    const health = await api(server, 'GET', '/health');
    assert.equal(health.status, 'ok');
    assert.equal(health.mode, 'demo', `GET /health must say "mode":"demo" for a server without a Telnyx key: ${JSON.stringify(health)}`);
    const page = await newPage();
    await openApp(page, 'dialer');
    await page.getByTestId('demo-badge').waitFor();
    assert.equal((await page.getByTestId('demo-badge').textContent()).trim(), 'Demo');
    await screenshot(page, '01-dialer-desktop');
  });

  test('demo contacts appear', async () => {
    const seeded = await api(server, 'GET', '/api/contacts/');
    assert.ok(Array.isArray(seeded) && seeded.length >= 2, `a fresh demo database has a few contacts, got ${JSON.stringify(seeded)}`);
    const page = await newPage();
    await openApp(page, 'contacts');
    const rows = page.getByTestId('contact-row');
    await until(async () => (await rows.count()) === seeded.length, { what: `${seeded.length} contact rows` });
    for (const c of seeded) {
      await page.locator(`[data-testid=contact-row][data-contact-id="${c.id}"]`).getByText(c.name, { exact: true }).waitFor();
    }
    // Favorites filter shows only favorites.
    await page.getByRole('radio', { name: 'Favorites' }).click();
    const favs = seeded.filter((c) => c.is_favorite).length;
    await until(async () => (await rows.count()) === favs, { what: `${favs} favorite rows` });
    await page.getByRole('radio', { name: 'All' }).click();
    await until(async () => (await rows.count()) === seeded.length, { what: 'all rows again' });
    await screenshot(page, '02-contacts-desktop');
  });

  test('several from-number options appear in the dialer, the default preselected', async () => {
    const numbers = await api(server, 'GET', '/api/numbers/');
    assert.ok(numbers.length >= 2, `a fresh demo database has 2-3 caller-ID numbers, got ${numbers.length}`);
    const defaults = numbers.filter((n) => n.is_default);
    assert.equal(defaults.length, 1, 'exactly one default number');
    const page = await newPage();
    await openApp(page, 'dialer');
    const select = page.locator('#from-number');
    await until(async () => (await select.locator('option').count()) === numbers.length, { what: 'from-number options' });
    assert.equal(await select.inputValue(), defaults[0].number);
    const texts = await select.locator('option').allTextContents();
    assert.ok(texts.some((t) => t.includes('(default)')), texts.join(' | '));
    await screenshot(page, '03-from-numbers');
  });

  test('dial a number and watch dialing → ringing → active, live over the WebSocket without polling', async () => {
    const page = await newPage();
    await openApp(page, 'dialer');
    // Typed on the keypad, formatted as typed.
    for (const d of '4155550123') await page.locator(`.keypad [data-key="${d}"]`).click();
    assert.equal(await page.locator('#dial-number').inputValue(), '(415) 555-0123');
    // Pick the second caller-ID number.
    const numbers = await api(server, 'GET', '/api/numbers/');
    const from = numbers.find((n) => !n.is_default);
    await page.locator('#from-number').selectOption(from.number);
    await page.getByTestId('call-button').click();

    const panel = page.getByTestId('call-panel');
    await panel.waitFor();
    const callId = await panel.getAttribute('data-call-id');
    assert.ok(callId, 'the call panel carries the call id');
    await page.locator('[data-testid=call-panel][data-status=active]').waitFor({ timeout: 20_000 });

    for (const step of ['dialing', 'ringing', 'active']) {
      assert.equal(
        await page.locator(`[data-testid=call-progress] li[data-step=${step}]`).getAttribute('data-reached'),
        'true',
        `progress step ${step} reached`,
      );
    }
    // The statuses came over the socket, in order.
    const seen = statusesOf(page, callId);
    assert.ok(seen.includes('ringing') && seen.includes('active'), `WebSocket statuses: ${seen.join(',')}`);
    assert.ok(seen.indexOf('ringing') < seen.lastIndexOf('active'), `ringing before active: ${seen.join(',')}`);
    assert.ok(page.wsFrames[0] && page.wsFrames[0].type === 'snapshot', 'the first frame is the snapshot');
    // No polling while the socket is open.
    assert.deepEqual(page.statusPolls, [], 'no /api/call-status requests while the WebSocket is connected');

    const call = await api(server, 'GET', `/api/call-status/status/${callId}`);
    assert.equal(call.status, 'active');
    assert.equal(call.to_number, '+14155550123');
    assert.equal(call.from_number, from.number);

    // The duration timer runs.
    const t1 = (await page.getByTestId('call-status').textContent()).trim();
    assert.match(t1, /^\d+:\d\d$/);
    await until(async () => (await page.getByTestId('call-status').textContent()).trim() !== t1, { what: 'the timer to tick', timeout: 4000 });
    firstCall = { page, callId };
    await screenshot(page, '04-call-active');
  });

  test('mute, speaker, hold and record toggle during the call; the keypad sends DTMF', async () => {
    assert.ok(firstCall, 'needs the call of the previous test');
    const { page, callId } = firstCall;
    const mute = page.getByTestId('ctl-mute');
    assert.equal(await mute.getAttribute('aria-pressed'), 'false');
    await mute.click();
    await page.locator('[data-testid=ctl-mute][aria-pressed=true]').waitFor();
    assert.equal((await api(server, 'GET', `/api/call-status/status/${callId}`)).muted, true);

    const speaker = page.getByTestId('ctl-speaker');
    await speaker.click();
    assert.equal(await speaker.getAttribute('aria-pressed'), 'true');
    await speaker.click();
    assert.equal(await speaker.getAttribute('aria-pressed'), 'false');

    await page.getByTestId('ctl-hold').click();
    await page.locator('[data-testid=ctl-hold][aria-pressed=true]').waitFor();
    assert.equal((await api(server, 'GET', `/api/call-status/status/${callId}`)).on_hold, true);
    await screenshot(page, '05-call-muted-on-hold');
    await page.getByTestId('ctl-hold').click();
    await page.locator('[data-testid=ctl-hold][aria-pressed=false]').waitFor();

    await mute.click();
    await page.locator('[data-testid=ctl-mute][aria-pressed=false]').waitFor();
    assert.equal((await api(server, 'GET', `/api/call-status/status/${callId}`)).muted, false);

    // Start and stop a recording during the call.
    const record = page.getByTestId('ctl-record');
    assert.equal(await record.getAttribute('aria-pressed'), 'false');
    await record.click();
    await page.locator('[data-testid=ctl-record][aria-pressed=true]').waitFor();
    await page.waitForTimeout(300);
    await record.click();
    await page.locator('[data-testid=ctl-record][aria-pressed=false]').waitFor();
    await until(
      async () => {
        const r = await api(server, 'GET', `/api/recordings/${callId}`);
        return Array.isArray(r) && r.length === 1;
      },
      { what: 'the recording started and stopped from the dialer' },
    );

    // DTMF from the in-call keypad.
    const dtmf = page.waitForRequest((r) => r.url().endsWith(`/api/telnyx/calls/${callId}/dtmf`) && r.method() === 'POST');
    await page.getByTestId('ctl-keypad').click();
    await page.locator('.dtmf .keypad [data-key="5"]').click();
    const req = await dtmf;
    assert.deepEqual(JSON.parse(req.postData()), { digits: '5' });
    assert.equal((await (await req.response()).status()), 200);
    assert.equal((await page.getByTestId('dtmf-digits').textContent()).trim(), '5');
    await page.getByRole('button', { name: 'Hide keypad' }).click();
    assert.equal(await page.getByTestId('toast-error').count(), 0, 'no error toast');
    assert.deepEqual(page.statusPolls, []);
  });

  test('hang up: the call ends with its duration and the call log appears', async () => {
    assert.ok(firstCall, 'needs the call of the previous test');
    const { page, callId } = firstCall;
    await page.getByTestId('hangup-button').click();
    await page.locator('[data-testid=call-panel][data-status=completed]').waitFor();
    assert.match(await page.getByTestId('call-status').textContent(), /Call ended · Completed/);
    assert.equal(await page.getByTestId('call-status-text').textContent(), 'Completed: you hung up.');
    assert.equal(await page.locator('[data-testid=call-progress] li[data-step=ended]').getAttribute('data-reached'), 'true');
    await screenshot(page, '06-call-ended');

    await gotoTab(page, 'Call Logs');
    const row = page.locator(`[data-testid=log-row][data-call-id="${callId}"]`);
    await row.waitFor();
    assert.equal(await row.getAttribute('data-status'), 'completed');
    const server_call = await api(server, 'GET', `/api/call-status/status/${callId}`);
    assert.equal(server_call.status, 'completed');
    assert.match((await row.getByTestId('log-duration').textContent()).trim(), /^\d+:\d\d$/);
    assert.deepEqual(page.statusPolls, [], 'no polling during the whole call');
    await screenshot(page, '07-call-logs-desktop');
  });

  test('WebSocket updates arrive for calls placed elsewhere (no polling)', async () => {
    const page = await newPage();
    await openApp(page, 'logs');
    const { call_id } = await api(server, 'POST', '/api/telnyx/dial', { to_number: '+14155550177' });
    const bar = page.getByTestId('ongoing-call');
    await bar.waitFor();
    await until(async () => /Active/.test(await bar.textContent()), { what: 'the ongoing-call bar to say Active' });
    await screenshot(page, '08-ongoing-call-bar');
    await api(server, 'POST', `/api/telnyx/hangup/${call_id}`);
    await bar.waitFor({ state: 'detached' });
    await page.locator(`[data-testid=log-row][data-call-id="${call_id}"]`).waitFor();
    const seen = statusesOf(page, call_id);
    assert.ok(seen.includes('active') && seen.includes('completed'), `statuses over the socket: ${seen.join(',')}`);
    assert.deepEqual(page.statusPolls, []);
  });

  test('add a contact', async () => {
    const page = await newPage();
    await openApp(page, 'contacts');
    await page.getByRole('button', { name: 'Add contact' }).click();
    const dialog = page.getByRole('dialog', { name: 'New contact' });
    await dialog.waitFor();
    await dialog.getByLabel('Name').fill('Katherine Johnson');
    await dialog.getByLabel('Phone').fill('+1 (757) 555-0142');
    await dialog.getByLabel('Email (optional)').fill('kj@example.com');
    await dialog.getByText('Client', { exact: true }).click();
    await dialog.getByLabel('Favorite').check();
    await screenshot(page, '09-add-contact-form');
    await dialog.getByRole('button', { name: 'Save contact' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByTestId('contact-row').filter({ hasText: 'Katherine Johnson' });
    await row.waitFor();
    assert.match(await row.textContent(), /Client/);
    assert.equal(await row.getByRole('button', { name: 'Favorite Katherine Johnson' }).getAttribute('aria-pressed'), 'true');

    const found = await api(server, 'GET', '/api/contacts/?search=Katherine');
    assert.equal(found.length, 1);
    assert.equal(found[0].phone, '+17575550142');
    assert.equal(found[0].category, 'client');
    assert.equal(found[0].is_favorite, true);

    // Search narrows the list.
    await page.getByLabel('Search contacts').fill('kather');
    await until(async () => (await page.getByTestId('contact-row').count()) === 1, { what: 'one search result' });
    await screenshot(page, '10-contact-added');
  });

  test('settings persist after a reload; keys are shown masked', async () => {
    const page = await newPage();
    await openApp(page, 'settings');
    const key = 'KEYtest0123456789wxyz';
    await page.getByLabel('API key', { exact: true }).fill(key);
    await page.getByLabel('Webhook URL').fill('https://softphone.example.com/webhooks/call');
    await page.getByLabel('Connection ID').fill('conn-e2e-42');
    const auto = page.getByRole('switch', { name: 'Record calls automatically' });
    if ((await auto.getAttribute('aria-checked')) !== 'true') await auto.click();
    // Keep the server in demo mode even with a key.
    const demo = page.getByRole('switch', { name: 'Demo mode' });
    if ((await demo.getAttribute('aria-checked')) !== 'true') await demo.click();
    await page.getByTestId('save-settings').click();
    await page.getByTestId('toast-success').filter({ hasText: 'Settings saved' }).waitFor();

    await page.reload();
    await page.locator('[data-testid=connection][data-state=open]').waitFor();
    await until(async () => (await page.getByLabel('Connection ID').inputValue()) === 'conn-e2e-42', { what: 'the saved connection id' });
    assert.equal(await page.getByLabel('Webhook URL').inputValue(), 'https://softphone.example.com/webhooks/call');
    assert.equal(await page.getByRole('switch', { name: 'Record calls automatically' }).getAttribute('aria-checked'), 'true');
    const shown = await page.getByLabel('API key', { exact: true }).inputValue();
    assert.notEqual(shown, key, 'the key is never shown whole');
    assert.ok(shown.includes('*') && shown.endsWith('wxyz'), `masked key: ${shown}`);
    const s = await api(server, 'GET', '/api/telnyx/settings');
    assert.equal(s.connection_id, 'conn-e2e-42');
    assert.equal(s.auto_record, true);
    assert.equal(s.api_key, shown);

    // Saving again with the masked value keeps the key (the mask is not stored).
    await page.getByLabel('Connection ID').fill('conn-e2e-43');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('toast-success').filter({ hasText: 'Settings saved' }).last().waitFor();
    assert.equal((await api(server, 'GET', '/api/telnyx/settings')).api_key, shown);
    await screenshot(page, '11-settings-desktop');
    // The server is still in demo mode.
    assert.equal((await api(server, 'GET', '/health')).mode, 'demo');
  });

  test('play a recording: auto-record on, call, hang up, the log plays it', async () => {
    const cur = await api(server, 'GET', '/api/telnyx/settings');
    const editable = ['api_key', 'api_v2_key', 'webhook_url', 'connection_id', 'public_key', 'auto_record', 'demo_mode'];
    const body = Object.fromEntries(editable.filter((k) => k in cur).map((k) => [k, cur[k]]));
    await api(server, 'POST', '/api/telnyx/settings', { ...body, auto_record: true, demo_mode: true });
    assert.equal((await api(server, 'GET', '/api/telnyx/settings')).auto_record, true);
    const page = await newPage();
    await openApp(page, 'dialer');
    await page.locator('#dial-number').fill('+14155550188');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=call-panel][data-status=active]').waitFor({ timeout: 20_000 });
    const callId = await page.getByTestId('call-panel').getAttribute('data-call-id');
    // Recording from the answer: the UI and the API say so (issue 15, 2.10: both said false).
    await page.getByTestId('call-panel').getByText('● Recording').waitFor({ timeout: 5_000 });
    assert.equal((await api(server, 'GET', `/api/call-status/status/${callId}`)).recording, true);
    // Let it record a while (10× demo speed: 1.5 s are 15 s of call).
    await page.waitForTimeout(1500);
    await page.getByTestId('hangup-button').click();
    await page.locator('[data-testid=call-panel][data-status=completed]').waitFor();

    const recs = await until(
      async () => {
        const r = await api(server, 'GET', `/api/recordings/${callId}`);
        return Array.isArray(r) && r.length > 0 && r;
      },
      { what: 'the recording of the call', timeout: 20_000 },
    );
    assert.ok(recs[0].url, 'the recording has a url');

    await gotoTab(page, 'Call Logs');
    const row = page.locator(`[data-testid=log-row][data-call-id="${callId}"]`);
    await row.waitFor();
    const toggle = row.getByTestId('recording-toggle');
    await toggle.waitFor({ timeout: 15_000 });
    await toggle.click();
    const audio = row.getByTestId('recording-audio').first();
    await audio.waitFor();
    const duration = await until(
      () => audio.evaluate((el) => (el.readyState >= 1 && Number.isFinite(el.duration) && el.duration > 0 ? el.duration : 0)),
      { what: 'the audio metadata (duration > 0)', timeout: 15_000 },
    );
    assert.ok(duration > 0);
    const playing = await audio.evaluate(async (el) => {
      el.muted = true;
      await el.play();
      await new Promise((r) => setTimeout(r, 400));
      return { error: el.error && el.error.code, t: el.currentTime };
    });
    assert.equal(playing.error, null, 'no media error');
    assert.ok(playing.t > 0, `playback advances (currentTime ${playing.t})`);
    await screenshot(page, '12-recording-playing');
  });

  test('search the logs and filter by status', async () => {
    // A busy call, so that there is more than one status.
    const { call_id: busyId } = await api(server, 'POST', '/api/telnyx/dial', { to_number: '+14155550000' });
    await until(async () => (await api(server, 'GET', `/api/call-status/status/${busyId}`)).status === 'busy', { what: 'the busy call to end' });

    const page = await newPage();
    await openApp(page, 'logs');
    const rows = page.getByTestId('log-row');
    await until(async () => (await rows.count()) >= 4, { what: 'the calls of the earlier tests' });

    await page.getByLabel('Search call logs').fill('4155550123');
    await until(
      async () => {
        const n = await rows.count();
        if (n < 1) return false;
        const texts = await rows.allTextContents();
        return texts.every((t) => t.includes('(415) 555-0123'));
      },
      { what: 'only calls to (415) 555-0123' },
    );
    await screenshot(page, '13-logs-search');

    await page.getByLabel('Search call logs').fill('');
    await page.getByLabel('Status').selectOption('busy');
    await until(
      async () => {
        const n = await rows.count();
        if (n < 1) return false;
        const st = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')));
        return st.every((s) => s === 'busy') && st.length >= 1;
      },
      { what: 'only busy calls' },
    );
    const busyRow = page.locator(`[data-testid=log-row][data-call-id="${busyId}"]`);
    await busyRow.waitFor();
    assert.equal(await busyRow.getByTestId('log-status').getAttribute('title'), 'The line was busy.');

    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Search call logs').fill('no-such-call-xyz');
    await page.getByText('No calls match').waitFor();

    // The CSV export link follows the filter and answers CSV.
    assert.match(await page.getByTestId('export-csv').getAttribute('href'), /query=no-such-call-xyz/);
    await page.getByLabel('Search call logs').fill('');
    await until(async () => (await page.getByTestId('export-csv').getAttribute('href')) === '/api/calls/logs/export', { what: 'the unfiltered export link' });
    const href = await page.getByTestId('export-csv').getAttribute('href');
    const csv = await fetch(server.url + href);
    assert.equal(csv.status, 200);
    assert.match(csv.headers.get('content-type') || '', /csv/);
    assert.match(await csv.text(), /4155550123/);
  });

  test('API errors reach the user', async () => {
    const page = await newPage();
    await openApp(page, 'dialer');
    // An error answer in the server's shape.
    await page.route('**/api/telnyx/dial', (route) =>
      route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ detail: 'Telnyx is unreachable (e2e)' }) }),
    );
    await page.locator('#dial-number').fill('4155550123');
    await page.getByTestId('call-button').click();
    const toast = page.getByTestId('toast-error');
    await toast.waitFor();
    assert.match(await toast.textContent(), /Telnyx is unreachable \(e2e\).*503/);
    await page.unroute('**/api/telnyx/dial');

    // A real error from the server: a contact with a number the server rejects.
    const res = await fetch(`${server.url}/api/contacts/`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'x', phone: 'not-a-number', email: '', category: 'other', is_favorite: false }),
    });
    assert.ok(res.status >= 400 && res.status < 500, `rejected with 4xx, got ${res.status}`);
    const body = await res.json();
    assert.equal(typeof body.detail, 'string', `errors are {"detail": "..."}: ${JSON.stringify(body)}`);
    await screenshot(page, '14-api-error');
  });

  test('phone width (375 px) and keyboard use', async () => {
    const page = await newPage({ width: 375, height: 812 });
    await openApp(page, 'dialer');
    const shots = { dialer: 'Dialer', contacts: 'Contacts', logs: 'Call Logs', settings: 'Settings' };
    for (const [id, name] of Object.entries(shots)) {
      await gotoTab(page, name);
      await page.locator(`#panel-${id}`).waitFor();
      await page.waitForTimeout(300);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${name} fits 375 px (overflows by ${overflow}px)`);
      await screenshot(page, `15-mobile-${id}`, { fullPage: false });
    }
    // Tabs with the arrow keys.
    await gotoTab(page, 'Dialer');
    await page.getByRole('tab', { name: 'Dialer' }).focus();
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.getByRole('tab', { name: 'Contacts' }).getAttribute('aria-selected'), 'true');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'tab-contacts');
    await page.keyboard.press('End');
    assert.equal(await page.getByRole('tab', { name: 'Settings' }).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('Home');

    // A call placed with the keyboard only.
    await page.locator('#dial-number').focus();
    await page.keyboard.type('4155550166');
    assert.equal(await page.locator('#dial-number').inputValue(), '(415) 555-0166');
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=call-panel][data-status=active]').waitFor({ timeout: 20_000 });
    await screenshot(page, '15-mobile-call', { fullPage: false });
    await page.getByTestId('hangup-button').focus();
    await page.keyboard.press('Enter');
    await page.locator('[data-testid=call-panel][data-status=completed]').waitFor();

    // Every button and form field has an accessible name.
    const unnamed = await page.evaluate(() => {
      const bad = [];
      for (const el of document.querySelectorAll('button, input, select, textarea, [role=tab], [role=switch]')) {
        if (el.closest('[hidden]') || el.type === 'hidden' || el.classList.contains('sr-only')) continue;
        const name =
          el.getAttribute('aria-label') ||
          (el.id && document.querySelector(`label[for="${el.id}"]`)?.textContent) ||
          el.closest('label')?.textContent ||
          (el.tagName === 'BUTTON' ? el.textContent : '');
        if (!name || !name.trim()) bad.push(el.outerHTML.slice(0, 80));
      }
      return bad;
    });
    assert.deepEqual(unnamed, []);
  });

  test('server unreachable: the UI says so and offers local demo mode', async () => {
    const page = await newPage();
    await page.route('**/health', (route) => route.abort('connectionrefused'));
    await page.goto(`${server.url}/`);
    await page.getByTestId('unreachable').waitFor();
    assert.match(await page.getByRole('heading', { level: 1 }).textContent(), /Cannot reach the callwire server/);
    await screenshot(page, '16-unreachable');
    await page.getByTestId('use-local-demo').click();
    await page.getByTestId('local-demo-badge').waitFor();
    await page.locator('#dial-number').fill('+14155550123');
    await page.getByTestId('call-button').click();
    await page.locator('[data-testid=call-panel][data-status=active]').waitFor({ timeout: 10_000 });
    await page.getByTestId('hangup-button').click();
    await page.locator('[data-testid=call-panel][data-status=completed]').waitFor();
    await screenshot(page, '17-local-demo');
  });

  test('no JavaScript errors on any page', () => {
    const errors = pages.flatMap((p) => p.jsErrors ?? []);
    assert.deepEqual(errors, []);
  });
});
