// Browser test of `konf-wahl serve` (issue 17): the real binary on a free port, driven by
// keyboard only in headless Chromium. Fill in the questionnaire, see the ranking change with
// the number of people (live, by the page's little script), open "warum?", print the group
// handout to A4 (at most two pages), axe without serious or critical violations on every
// page, and no request that leaves 127.0.0.1. Writes docs/serve.png (the screenshot of the
// README) when SERVE_SCREENSHOT is set; other artefacts go to target/browser/.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const out = join(root, 'target', 'browser');
mkdirSync(out, { recursive: true });
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const binary = process.env.KONF_WAHL || join(root, 'target', 'debug', 'konf-wahl');
assert.ok(existsSync(binary), `${binary} is missing: run cargo build first`);

/** Starts the server; resolves with its address (the first line it prints). */
function startServer() {
  const child = spawn(binary, ['serve', '--port', '0'], {
    cwd: root,
    env: { ...process.env, LANG: '', LC_ALL: '', XDG_CONFIG_HOME: '/nonexistent/konf-wahl-tests' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolveUrl({ child, url: line.trim() }));
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
}

const { child, url } = await startServer();
const origin = new URL(url).origin;
assert.match(origin, /^http:\/\/127\.0\.0\.1:\d+$/);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
const requests = [];
context.on('request', (r) => requests.push(r.url()));

after(async () => {
  await browser.close();
  child.kill('SIGTERM');
});

/** Pages of a PDF that Chromium wrote: one `/Type /Page` object per page. */
function pageCount(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

/** Presses Tab until `predicate` holds for the focused element (at most `limit` times). */
async function tabTo(page, predicate, what, limit = 400, arg = null) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(predicate, arg)) return;
  }
  assert.fail(`Tab never reached ${what}`);
}

async function axe(page, name) {
  // Evaluated by the test driver, not as an inline script: the page's CSP allows none.
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
  const bad = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} – ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
  assert.deepEqual(bad, [], `${name}: no serious or critical axe violations`);
}

/** The ranking as the page shows it: list id and tool, in order. */
async function ranking(page) {
  return page.evaluate(() => [...document.querySelectorAll('#result ol.ranking li')]
    .map((li) => `${li.closest('ol').id}:${li.dataset.tool}`));
}

const page = await context.newPage();
const cspErrors = [];
page.on('console', (m) => { if (m.type() === 'error') cspErrors.push(m.text()); });

test('the questionnaire by keyboard only gives the advice', async () => {
  await page.goto(url, { waitUntil: 'load' });
  assert.equal(await page.getAttribute('html', 'lang'), 'de');
  assert.match(await page.textContent('#result'), /Sobald die Zahl der Personen eingetragen ist/);
  await axe(page, 'empty questionnaire');
  await tabTo(page, () => document.activeElement.id === 'f-group', 'the group name');
  await page.keyboard.type('Familien mit Seltenen Erkrankungen');
  await tabTo(page, () => document.activeElement.id === 'f-participants', 'the number of people');
  await page.keyboard.type('8');
  // Confidentiality: into the radio group, then the arrow keys to "streng vertraulich".
  await tabTo(page, () => document.activeElement.name === 'confidentiality', 'confidentiality');
  while (!(await page.evaluate(() => document.activeElement.value === 'strict'))) {
    await page.keyboard.press('ArrowDown');
  }
  // Installing and accounts: "nein" with the arrow key.
  for (const key of ['install_allowed', 'accounts_allowed']) {
    await tabTo(page, (k) => document.activeElement.name === k, key, 400, key);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.evaluate(() => document.activeElement.value), 'nein');
  }
  // Enter in a text field sends the form (without any script).
  await tabTo(page, () => document.activeElement.id === 'f-group', 'the group name again', 400);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.inputValue('#f-group'), 'Familien mit Seltenen Erkrankungen');
  assert.equal(await page.getAttribute('#winner .name', 'data-tool'), 'jitsi-meet');
  const shown = await ranking(page);
  assert.equal(shown[0], 'ranking-fits:jitsi-meet');
  await axe(page, 'questionnaire with advice');
  await page.screenshot({ path: join(out, 'serve.png') });
  if (process.env.SERVE_SCREENSHOT) {
    await page.screenshot({ path: join(root, 'docs', 'serve.png') });
  }
});

test('the ranking follows the number of people while typing', async () => {
  const before = await ranking(page);
  await page.focus('#f-participants');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('300');
  await page.waitForFunction(() => !document.querySelector('#ranking-fits'), null, { timeout: 10000 });
  const afterChange = await ranking(page);
  assert.notDeepEqual(afterChange, before);
  assert.ok(afterChange.every((t) => t.startsWith('ranking-verify:')), afterChange.join(', '));
  await page.keyboard.press('Control+A');
  await page.keyboard.type('8');
  await page.waitForFunction(() => document.querySelector('#ranking-fits li'), null, { timeout: 10000 });
  assert.deepEqual(await ranking(page), before);
  // A wrong number: the message of init next to the field, the advice waits.
  await page.keyboard.press('Control+A');
  await page.keyboard.type('acht');
  await page.waitForFunction(() => document.querySelector('[data-error-for="participants"]').textContent.trim() !== '', null, { timeout: 10000 });
  assert.match(await page.textContent('[data-error-for="participants"]'), /Bitte geben Sie eine Zahl ab 1 ein/);
  await page.keyboard.press('Control+A');
  await page.keyboard.type('8');
  await page.waitForFunction(() => document.querySelector('#ranking-fits li') && document.querySelector('[data-error-for="participants"]').textContent.trim() === '', null, { timeout: 10000 });
});

test('"warum?" explains a tool, and the way back keeps the answers', async () => {
  await tabTo(page, () => document.activeElement.getAttribute('formaction') === '/why', 'a "warum?" button');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.match(await page.textContent('h1'), /^Warum .+ dort steht, wo es steht$/);
  assert.match(await page.textContent('main'), /Woher die Punkte kommen|kommt nicht in Frage/);
  await page.screenshot({ path: join(out, 'serve-why.png'), fullPage: true });
  await axe(page, 'why');
  await tabTo(page, () => document.activeElement.textContent === 'Zurück zu den Fragen', 'the way back');
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  assert.equal(await page.inputValue('#f-group'), 'Familien mit Seltenen Erkrankungen');
  assert.equal(await page.inputValue('#f-participants'), '8');
});

test('the group handout prints on at most two A4 pages', async () => {
  await tabTo(page, () => document.activeElement.id === 'open-handout', 'the handout button');
  const [handout] = await Promise.all([context.waitForEvent('page'), page.keyboard.press('Enter')]);
  await handout.waitForLoadState('load');
  assert.match(await handout.textContent('h1'), /.+/);
  assert.match(await handout.textContent('body'), /Familien mit Seltenen Erkrankungen/);
  // The handout's own stylesheet applies (allowed by the nonce): its print rules set A4.
  const styled = await handout.evaluate(() => document.styleSheets.length > 0 && document.styleSheets[0].cssRules.length > 0);
  assert.ok(styled, 'the inline stylesheet of the handout is applied');
  const pdf = await handout.pdf({ path: join(out, 'serve-handout.pdf'), format: 'A4', printBackground: true });
  const pages = pageCount(pdf);
  assert.ok(pages >= 1 && pages <= 2, `the handout prints on ${pages} pages`);
  await axe(handout, 'handout');
  await handout.close();
});

test('a tablet shows everything without sideways scrolling', async () => {
  await page.setViewportSize({ width: 768, height: 1024 });
  const sideways = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(sideways <= 0, `scrolls sideways by ${sideways}px`);
  await page.setViewportSize({ width: 1280, height: 900 });
});

test('no request leaves 127.0.0.1 and the CSP blocks nothing the page needs', () => {
  assert.ok(requests.length > 5, `saw ${requests.length} requests`);
  const elsewhere = requests.filter((r) => !r.startsWith(`${origin}/`));
  assert.deepEqual(elsewhere, [], 'every request goes to the local server');
  const blocked = cspErrors.filter((e) => /Content Security Policy/i.test(e));
  assert.deepEqual(blocked, [], 'nothing is blocked by the CSP');
});
