import { existsSync } from 'node:fs';
import { chromium, type BrowserContext } from 'playwright-core';
import { tempDir } from './run-helpers.js';

/** Debian's Chromium (scripts/setup.sh installs it); playwright-core never downloads a browser. */
export const CHROMIUM = '/usr/bin/chromium';

export const hasChromium = (): boolean => existsSync(CHROMIUM);

/** Headless Chromium with a fresh profile and nothing that talks to the network on its own. */
export function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('aibench-chromium-'), {
    executablePath: CHROMIUM,
    viewport: { width: 1280, height: 900 },
    headless: true,
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

/** Screenshots an SVG file as Chromium renders it (for people to look at a figure). */
export async function screenshotSvg(
  browser: BrowserContext,
  svgFile: string,
  pngFile: string,
): Promise<void> {
  const page = await browser.newPage();
  try {
    await page.goto(`file://${svgFile}`);
    await page.locator('svg').first().screenshot({ path: pngFile });
  } finally {
    await page.close();
  }
}
