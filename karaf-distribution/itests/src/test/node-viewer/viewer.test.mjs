// The distribution's bundled OHIF viewer in a real browser: Debian's Chromium driven by
// playwright-core (no browser download). Run by OhifViewerIT with:
//   MOSAIC_URL       the server's origin, e.g. http://127.0.0.1:8181
//   MOSAIC_EXPECTED  JSON written by the IT: { studyCount, patients: [family names],
//                    ct: { study, series, instances }, us: { study, series, frames } }
//   MOSAIC_OUT       folder for the screenshots
//   CHROMIUM         browser executable (default /usr/bin/chromium)
// Each test checks what a person would see: study list rows, and the viewport's pixels (decoded
// from a screenshot with pngjs), not only the DOM.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { PNG } from 'pngjs';
import { awaitImage, dismissNotices, launch, pixelStats, settle, stackPosition, until } from './ohif.mjs';

const base = process.env.MOSAIC_URL;
const expected = JSON.parse(fs.readFileSync(process.env.MOSAIC_EXPECTED, 'utf8'));
const out = process.env.MOSAIC_OUT;
const origin = new URL(base).origin;

let browser;
let context;
let requests;
let failures;

before(async () => {
  fs.mkdirSync(out, { recursive: true });
  ({ browser, context, requests, failures } = await launch());
});

after(async () => {
  await browser?.close();
});

/**
 * Opens a study in OHIF's basic viewer (the deep link a worklist or an email would carry) and
 * waits until the first viewport shows an image: its canvas, as a screenshot, is largely
 * non-black and has many grey levels or colours.
 */
async function openAndRender(page, { study, series }, name) {
  const url = `${base}/viewer/viewer?StudyInstanceUIDs=${study}&SeriesInstanceUIDs=${series}`;
  const response = await page.goto(url);
  assert.equal(response.status(), 200, `deep link ${url}`);
  const { canvas, stats } = await awaitImage(page, name);
  await settle(page);
  await page.screenshot({ path: path.join(out, `ohif-${name}.png`) });
  const viewport = await canvas.screenshot({ path: path.join(out, `ohif-${name}-viewport.png`) });
  return { canvas, viewport, stats: { ...stats, final: pixelStats(viewport) } };
}

/** A digest of the viewport's pixels, to tell one drawn image from another. */
function digest(pngBuffer) {
  return createHash('sha256').update(PNG.sync.read(pngBuffer).data).digest('hex');
}

test('the study list shows every stored study', async () => {
  const page = await context.newPage();
  const response = await page.goto(`${base}/viewer/`);
  assert.equal(response.status(), 200);
  const text = await until('the study list lists every patient', 60_000, async () => {
    const body = await page.locator('body').innerText();
    const missing = expected.patients.filter(p => !body.toUpperCase().includes(p.toUpperCase()));
    return { ok: missing.length === 0, missing, body: body.slice(0, 300) };
  });
  assert.deepEqual(text.missing, []);
  // The list's pager: "1-12 of 12"
  const count = await page.evaluate(() => {
    const m = document.body.innerText.match(/\d+-\d+ of (\d+)/);
    return m ? Number(m[1]) : -1;
  });
  assert.equal(count, expected.studyCount, 'the study count OHIF shows');
  await dismissNotices(page);
  await page.screenshot({ path: path.join(out, 'ohif-study-list.png') });
  await page.close();
});

test('a CT series opens and its image is drawn', async () => {
  const page = await context.newPage();
  const { stats } = await openAndRender(page, expected.ct, 'ct');
  console.log(`CT viewport: ${JSON.stringify(stats.final)}`);
  // A CT slice in its window: body, lungs and background, hundreds of grey levels.
  assert.ok(stats.final.distinctColours > 64, `CT grey levels: ${stats.final.distinctColours}`);
  // The hanging protocol picks the starting slice; the stack holds the series' instances.
  assert.equal((await stackPosition(page))?.[1], expected.ct.instances, 'the CT stack size');
  await page.close();
});

test('a multi-frame US opens, its image is drawn, and its frames can be scrolled', async () => {
  const page = await context.newPage();
  const { canvas, viewport, stats } = await openAndRender(page, expected.us, 'us');
  console.log(`US viewport: ${JSON.stringify(stats.final)}`);
  assert.deepEqual(await stackPosition(page), [1, expected.us.frames], 'the US frame position');
  // The next frame is another image: scroll one step over the viewport, as a person would.
  const box = await canvas.boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 120);
  await until('US: the viewport moved to frame 2', 30_000, async () => {
    const position = await stackPosition(page);
    return { ok: position?.[0] === 2, position };
  });
  const frame2 = await until('US: frame 2 is drawn and differs from frame 1', 30_000, async () => {
    const png = await canvas.screenshot();
    const s = pixelStats(png);
    return { ok: digest(png) !== digest(viewport) && s.litFraction > 0.05, ...s };
  });
  console.log(`US frame 2: ${JSON.stringify(frame2)}`);
  await page.close();
});

test('the viewer requests nothing outside this server', () => {
  const foreign = requests.filter(u => !(u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:')));
  assert.deepEqual(foreign, [], 'requests to other origins');
  const dicomWeb = requests.filter(u => u.startsWith(`${origin}/dicom-web/`));
  const other = requests.filter(u => u.startsWith(origin + '/') && !u.startsWith(`${origin}/dicom-web/`)
    && !u.startsWith(`${origin}/viewer/`));
  assert.deepEqual(other, [], 'same-origin requests outside /viewer and /dicom-web');
  assert.ok(dicomWeb.length > 0, 'the viewer queried /dicom-web');
  assert.deepEqual(failures, [], 'failed requests');
  console.log(`requests: ${requests.length} (${dicomWeb.length} to /dicom-web), none elsewhere`);
});
