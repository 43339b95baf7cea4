/**
 * Debian's chromium, driven by playwright-core, for the tests that render what evtgen builds (the
 * docs site, the load report) in a real browser: headless, offline-minded (no background
 * networking, component updates or sync), no sandbox (CI runs as root).
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const chromiumPath = '/usr/bin/chromium';

/** False where chromium is not installed: browser tests skip (CI installs it and checks). */
export const haveChromium = existsSync(chromiumPath);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
