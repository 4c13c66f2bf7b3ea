// Prints the example group handout and annex to A4 PDF under examples/, so a reader sees the
// printed result without building. Run by scripts/regenerate-examples.sh.
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
for (const stem of ['familiengruppe', 'familiengruppe.annex']) {
  const page = await browser.newPage();
  await page.goto(pathToFileURL(join(root, 'examples', `${stem}.html`)).href);
  await page.pdf({ path: join(root, 'examples', `${stem}.pdf`), format: 'A4', printBackground: true });
  await page.close();
}
await browser.close();
