// Browser test of the example handouts (issue: handouts). For each examples/*.html:
// open it in headless Chromium, record every request it tries to make (there must be none
// besides the file itself), take a screenshot, print it to A4 PDF, and run axe-core: no
// serious or critical accessibility violations. Artefacts go to target/browser/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const examples = join(root, 'examples');
const out = join(root, 'target', 'browser');
mkdirSync(out, { recursive: true });
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const handouts = readdirSync(examples).filter((f) => f.endsWith('.html')).sort();

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

test('there are example handouts', () => {
  assert.ok(handouts.length >= 4, `found ${handouts.length}`);
});

for (const name of handouts) {
  test(`${name}: no requests, screenshot, PDF, no serious accessibility violations`, async () => {
    const url = pathToFileURL(join(examples, name)).href;
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
    await page.goto(url, { waitUntil: 'load' });
    assert.equal(await page.getAttribute('html', 'lang') !== null, true, 'lang is set');
    const stem = name.replace(/\.html$/, '');
    await page.screenshot({ path: join(out, `${stem}.png`), fullPage: true });
    // Readable at 200 % zoom: no horizontal scrolling of the page body.
    await page.setViewportSize({ width: 640, height: 800 });
    await page.evaluate(() => { document.body.style.zoom = '2'; });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.evaluate(() => { document.body.style.zoom = '1'; });
    await page.setViewportSize({ width: 1000, height: 800 });
    const pdf = await page.pdf({ path: join(out, `${stem}.pdf`), format: 'A4', printBackground: true });
    assert.ok(pdf.length > 1000, 'PDF was written');
    assert.deepEqual(requests, [], 'the handout loads nothing from anywhere');
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} – ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
    assert.deepEqual(bad, [], 'no serious or critical axe violations');
    assert.ok(overflow <= 16, `page scrolls sideways at 200 % zoom by ${overflow}px`);
    await context.close();
  });
}

test('close browser', async () => { await browser.close(); });
