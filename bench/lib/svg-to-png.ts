/**
 * Rasterises an SVG document to PNG with Debian's Chromium (driven by
 * playwright-core, as the e2e tests and the screenshots script drive it):
 * the SVG is the page's only content, the viewport its exact size, and the
 * screenshot taken at twice the pixel density so text stays sharp when a
 * README scales the image down.
 */
import { writeFileSync } from 'node:fs';
import { chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

export async function svgToPng(svg: string, size: { width: number; height: number }, file: string): Promise<void> {
  // Chromium refuses to start its sandbox as root (containers, CI); as any other user it keeps it.
  const args = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  const browser = await chromium.launch({ executablePath: CHROMIUM, args, headless: true });
  try {
    const page = await browser.newPage({ viewport: size, deviceScaleFactor: 2 });
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    writeFileSync(file, await page.screenshot({ clip: { x: 0, y: 0, ...size }, type: 'png' }));
  } finally {
    await browser.close();
  }
}
