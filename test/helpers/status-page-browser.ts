/**
 * The status page in headless Chromium as a test drives it: open it with every console
 * error, page error, CSP violation and off-origin request collected, enter a token, wait for
 * visible text, and keep a screenshot under test-output/.
 */
import assert from 'node:assert/strict';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from 'playwright-core';
import { launchChromium } from './chromium.js';

const OUTPUT = fileURLToPath(new URL('../../../test-output/', import.meta.url));

// Chromium logs each failed fetch; these are the ones the tests cause on purpose.
const EXPECTED_LOAD_ERRORS = /^Failed to load resource: (the server responded with a status of 401 |net::ERR_EMPTY_RESPONSE)/;

/** A page whose errors, CSP violations and requests off its origin are all collected, for `problems()`. */
export async function openStatusPage(t: TestContext, origin: string): Promise<{ page: Page; problems: () => Promise<string[]> }> {
  const page = await (await launchChromium(t)).newPage({ viewport: { width: 1280, height: 800 } });
  page.setDefaultTimeout(5_000);
  const seen: string[] = [];
  page.on('console', (m) => {
    if (['error', 'warning'].includes(m.type()) && !EXPECTED_LOAD_ERRORS.test(m.text())) seen.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (error) => seen.push(`page error: ${error.message}`));
  page.on('request', (request) => {
    if (!request.url().startsWith(`${origin}/`)) seen.push(`request off the origin: ${request.url()}`);
  });
  await page.addInitScript(
    "window.__csp = []; document.addEventListener('securitypolicyviolation', (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));",
  );
  await page.goto(`${origin}/`);
  const problems = async () => [...seen, ...((await page.evaluate('window.__csp')) as string[]).map((v) => `CSP violation: ${v}`)];
  return { page, problems };
}

export const visible = (locator: Locator) => locator.waitFor({ state: 'visible' });

export async function useToken(page: Page, token: string): Promise<void> {
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(OUTPUT, { recursive: true });
  const path = join(OUTPUT, name);
  await page.screenshot({ path, fullPage: true });
  const png = await readFile(path);
  assert.ok(png.length > 1000 && png.subarray(1, 4).toString('latin1') === 'PNG', `${path} is a non-empty PNG`);
}

