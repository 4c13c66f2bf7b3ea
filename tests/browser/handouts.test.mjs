// Browser test of the example documents (issue: handouts). For each examples/*.html: open it in
// headless Chromium, record every request it tries to make (there must be none besides the file
// itself), check that it reads at 200 % zoom without sideways scrolling, print it to A4 PDF and
// run axe-core (no serious or critical violations). Group handouts (every example, German and
// English) must print on at most two A4 pages; the advisor's annex may be long, but nothing in
// it may stick out beyond the printed page width. Artefacts go to target/browser/.
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
const documents = readdirSync(examples).filter((f) => f.endsWith('.html')).sort();
const answers = readdirSync(examples).filter((f) => /\.(toml|yaml)$/.test(f));
// A4 is 210 mm wide; the print stylesheet leaves at least 10 mm either side: 190 mm at 96 dpi.
const PRINT_WIDTH_PX = Math.floor((190 / 25.4) * 96);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
  ],
});

/** Pages of a PDF that Chromium wrote: one `/Type /Page` object per page. */
function pageCount(pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
}

test('every example has its group handout in both languages and its annex', () => {
  assert.ok(answers.length >= 4, `found ${answers.length} examples`);
  for (const a of answers) {
    const stem = a.replace(/\.(toml|yaml)$/, '');
    for (const doc of [`${stem}.html`, `${stem}.en.html`, `${stem}.annex.html`]) {
      assert.ok(documents.includes(doc), `${doc} is missing: run scripts/regenerate-examples.sh`);
    }
  }
});

for (const name of documents) {
  const annex = name.includes('.annex.');
  test(`${name}: no requests, 200 % zoom, ${annex ? 'no overflow in print' : 'two A4 pages'}, no serious accessibility violations`, async () => {
    const url = pathToFileURL(join(examples, name)).href;
    const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const requests = [];
    page.on('request', (r) => { if (r.url() !== url) requests.push(r.url()); });
    await page.goto(url, { waitUntil: 'load' });
    assert.equal(await page.getAttribute('html', 'lang') !== null, true, 'lang is set');
    const stem = name.replace(/\.html$/, '');
    // Printed first, before the zoom and width checks below touch the page.
    const pdf = await page.pdf({ path: join(out, `${stem}.pdf`), format: 'A4', printBackground: true });
    const pages = pageCount(pdf);
    await page.screenshot({ path: join(out, `${stem}.png`), fullPage: true });
    // Readable at 200 % zoom: no horizontal scrolling of the page body.
    await page.setViewportSize({ width: 640, height: 800 });
    await page.evaluate(() => { document.body.style.zoom = '2'; });
    const zoomed = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.evaluate(() => { document.body.style.zoom = '1'; });
    // The printed layout at the width of an A4 page: nothing sticks out to the right.
    await page.emulateMedia({ media: 'print' });
    await page.setViewportSize({ width: PRINT_WIDTH_PX, height: 1000 });
    const printed = await page.evaluate(() => {
      const width = document.documentElement.clientWidth;
      const out = [];
      for (const el of document.querySelectorAll('body *')) {
        const box = el.getBoundingClientRect();
        if (box.right > width + 1 || el.scrollWidth > el.clientWidth + 1) {
          out.push(`${el.tagName.toLowerCase()} “${(el.textContent || '').trim().slice(0, 40)}” ends at ${Math.round(box.right)} of ${width}px`);
        }
      }
      return { scroll: document.documentElement.scrollWidth - width, out: out.slice(0, 5) };
    });
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1000, height: 800 });
    assert.ok(pages >= 1, 'PDF was written');
    assert.deepEqual(requests, [], 'the document loads nothing from anywhere');
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await window.axe.run(document, { resultTypes: ['violations'] }));
    const bad = result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} – ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join('; ')}`);
    assert.deepEqual(bad, [], 'no serious or critical axe violations');
    assert.ok(zoomed <= 16, `page scrolls sideways at 200 % zoom by ${zoomed}px`);
    assert.ok(printed.scroll <= 0 && printed.out.length === 0, `printed page overflows: ${printed.out.join('; ')}`);
    if (!annex) assert.ok(pages <= 2, `the group handout prints on ${pages} A4 pages, at most 2 allowed`);
    await context.close();
  });
}

test('close browser', async () => { await browser.close(); });
