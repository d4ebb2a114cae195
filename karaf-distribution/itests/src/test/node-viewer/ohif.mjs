// What the browser tests of the bundled OHIF viewer share: Debian's Chromium through
// playwright-core (no browser download), a request log, waiting, OHIF's first-time notices and
// pixel statistics of screenshots (decoded with pngjs).
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { PNG } from 'pngjs';

/**
 * Launches the browser (CHROMIUM, default /usr/bin/chromium) with a 1280x720 page context that
 * records every request, every failed one and every answer >= 400.
 */
export async function launch() {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // WebGL through SwiftShader: cornerstone3D renders with WebGL; headless has no GPU here.
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  const requests = [];
  const failures = [];
  context.on('request', r => requests.push(r.url()));
  context.on('requestfailed', r => failures.push(`${r.url()} ${r.failure()?.errorText}`));
  context.on('response', r => {
    if (r.status() >= 400) {
      failures.push(`${r.url()} -> ${r.status()}`);
    }
  });
  return { browser, context, requests, failures };
}

/** Waits until `check` returns a truthy value (or one with a truthy `ok`), re-evaluating it every 500 ms. */
export async function until(what, timeoutMs, check) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      last = await check();
      if (last?.ok ?? last) {
        return last;
      }
    } catch (e) {
      last = e.message;
    }
    await new Promise(r => setTimeout(r, 500));
  }
  assert.fail(`${what} within ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

/**
 * Closes what OHIF shows a first-time user over the images: its "investigational use" notice and
 * the onboarding tour. A person would click these away too; the screenshots are for the docs.
 */
export async function dismissNotices(page) {
  for (const label of ['Confirm and hide', 'Skip all']) {
    const button = page.getByText(label, { exact: true });
    if (await button.count()) {
      await button.first().click().catch(() => {});
    }
  }
}

/** Pixel statistics of a PNG: how much of it is not black and how varied it is. */
export function pixelStats(pngBuffer) {
  const png = PNG.sync.read(pngBuffer);
  const levels = new Set();
  let lit = 0;
  const n = png.width * png.height;
  for (let i = 0; i < n; i++) {
    const r = png.data[4 * i];
    const g = png.data[4 * i + 1];
    const b = png.data[4 * i + 2];
    if (r + g + b > 30) {
      lit++;
    }
    levels.add((r << 16) | (g << 8) | b);
  }
  return { width: png.width, height: png.height, litFraction: lit / n, distinctColours: levels.size };
}

/** The overlay's instance/frame position, "I:1 (1/10)": [current, total], or null. */
export async function stackPosition(page) {
  const text = await page.locator('body').innerText();
  const m = text.match(/\((\d+)\/(\d+)\)/);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

/**
 * Waits until the first viewport's canvas shows an image: as a screenshot, largely non-black with
 * many grey levels or colours. Returns the canvas locator.
 */
export async function awaitImage(page, what) {
  const canvas = page.locator('canvas.cornerstone-canvas').first();
  await canvas.waitFor({ state: 'visible', timeout: 60_000 });
  const stats = await until(`${what}: the viewport shows an image`, 60_000, async () => {
    await dismissNotices(page);
    const s = pixelStats(await canvas.screenshot());
    return { ok: s.litFraction > 0.05 && s.distinctColours > 32, ...s };
  });
  return { canvas, stats };
}

/** Lets overlays and thumbnails settle, and the pointer leave the images, before a screenshot for the docs. */
export async function settle(page) {
  await page.waitForLoadState('networkidle', { timeout: 15_000 }).catch(() => {});
  await dismissNotices(page);
  await page.mouse.move(0, 0);
}
