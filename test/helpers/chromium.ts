/**
 * Debian's Chromium driven by playwright-core, for tests that look at a page as a person
 * would. Playwright never downloads a browser here: the machine has no network, so the
 * test uses the distribution's package, which `.ci/run` installs.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import type { TestContext } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { onTestEnd } from './tmp-dir.js';

export const CHROMIUM = '/usr/bin/chromium';

// The network is closed: these keep Chromium from trying its background connections
// (sync, component updates, QUIC probes), which would only fail and log. The sandbox needs
// user namespaces that a root CI container does not give.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A headless Chromium, closed when the test ends, pass or fail. Playwright gives each launch
 * a fresh temporary profile (user-data-dir) and removes it on close, so no state carries over.
 * A missing browser fails the test: skipping would hide that CI lost its install step.
 */
export async function launchChromium(t: TestContext): Promise<Browser> {
  assert.ok(
    existsSync(CHROMIUM),
    `${CHROMIUM} is missing: .ci/run installs Debian's chromium package (apt-get install chromium)`,
  );
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 15_000 });
  onTestEnd(t, () => browser.close());
  return browser;
}
