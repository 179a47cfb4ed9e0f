import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
/** Screenshots of every step, at both widths; git-ignored (see .gitignore). */
export const SCREENSHOTS = fileURLToPath(new URL('../../test-results/browser/', import.meta.url));
export const WIDTHS = [390, 1280] as const;

/**
 * Debian's Chromium, headless. Without the background-networking flags it keeps trying to reach
 * Google's hosts, which this sandbox refuses. Playwright gives every launch a fresh, empty
 * profile (its own --user-data-dir), removed on close.
 */
export async function launchChromium(): Promise<{ browser: Browser; close(): Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: apt-get update && apt-get install -y chromium (.ci/run does this when it is missing).`);
  }
  const downloads = await mkdtemp(join(tmpdir(), 'community-app-chromium-'));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    downloadsPath: downloads,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    browser,
    close: async () => {
      await browser.close();
      await rm(downloads, { recursive: true, force: true });
    },
  };
}

/** Saves `<step>-<who>-<width>.png` at 390 and 1280 px wide, then puts the page back as it was. */
export async function snap(page: Page, step: string, who: string): Promise<void> {
  const original = page.viewportSize();
  // A full-page capture of a scrolled page draws the sticky header half-way down.
  await page.evaluate(() => window.scrollTo(0, 0));
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: width < 800 ? 844 : 800 });
    await page.screenshot({ path: join(SCREENSHOTS, `${step}-${who}-${width}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}
