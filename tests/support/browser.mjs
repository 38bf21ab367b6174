// Launches Debian's Chromium through playwright-core with a throwaway profile.
import { chromium } from 'playwright-core';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_PASSWORD } from './server.mjs';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage',
];

export async function launch() {
  const dir = mkdtempSync(join(tmpdir(), 'chromium-profile-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true, args: CHROMIUM_ARGS, timeout: 30000,
  });
  return {
    context,
    // Closes the browser; if Chromium does not answer within 15 s its
    // processes (found by this launch's profile folder) are killed, so that a
    // stuck browser can never hang the test run.
    async close() {
      const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), 15000).unref());
      const outcome = await Promise.race([context.close().then(() => 'closed', () => 'closed'), timer]);
      if (outcome === 'timeout') {
        console.error('chromium did not close in 15 s; killing it');
        try { execFileSync('pkill', ['-9', '-f', dir]); } catch { /* already gone */ }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// Signs `page` in as the demo account `email` on a fresh set of cookies of
// `browser` (from launch()), and waits for the welcome banner.
export async function signInAsDemo(browser, page, base, email) {
  await browser.context.clearCookies();
  await page.goto(base + '/signin');
  await page.fill('#field-email', email);
  await page.fill('#field-password', DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForSelector('.banner');
}
