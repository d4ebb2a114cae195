// The sample AI plugin's results in the bundled OHIF viewer: its Segmentation drawn over the CT it
// was computed from. Run by OhifViewerIT after the plugin has processed a CT study, with:
//   MOSAIC_URL       the server's origin, e.g. http://127.0.0.1:8181
//   MOSAIC_EXPECTED  JSON written by the IT: { study, ctSeries, ctInstances,
//                    segments: [{ label, ct: 'dark' | 'bright' }] } (ct: how the segment's voxels
//                    look in the CT's own window)
//   MOSAIC_OUT       folder for the screenshots
//   CHROMIUM         browser executable (default /usr/bin/chromium)
// What a person does: open the study, double-click the SEG in the study browser, answer "Yes" to
// OHIF's "Do you want to open this Segmentation?", open the segmentation panel. What is checked:
// the panel lists the SEG's segments in their recommended colours, and the viewport's pixels show
// those colours where the CT shows the segmented tissue, and nowhere before the SEG was loaded.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { PNG } from 'pngjs';
import { awaitImage, launch, settle, stackPosition, until } from './ohif.mjs';

const base = process.env.MOSAIC_URL;
const expected = JSON.parse(fs.readFileSync(process.env.MOSAIC_EXPECTED, 'utf8'));
const out = process.env.MOSAIC_OUT;
const origin = new URL(base).origin;

let browser;
let context;
let requests;
let failures;
/** The SEG and SR series as QIDO-RS lists them, and the SEG's segments from its WADO-RS metadata. */
let seg;
let sr;
let segments;

before(async () => {
  fs.mkdirSync(out, { recursive: true });
  ({ browser, context, requests, failures } = await launch());
});

after(async () => {
  await browser?.close();
  console.log(`steps: ${timings.join(', ')}`);
});

const value = (dataset, tag) => dataset[tag]?.Value?.[0];

/** How long each step took, printed at the end (failed or not): where the time goes on a slow machine. */
const timings = [];
let stepStart = Date.now();
function step(name) {
  timings.push(`${name} ${Date.now() - stepStart} ms`);
  stepStart = Date.now();
}

async function dicomJson(relative) {
  const response = await fetch(`${base}/dicom-web/${relative}`, { headers: { Accept: 'application/dicom+json' } });
  assert.equal(response.status, 200, `GET /dicom-web/${relative}`);
  return response.json();
}

/**
 * sRGB (0-255) of a Recommended Display CIELab Value (PS3.3 C.10.7.1.1: L* 0..100 and a*, b*
 * -128..127 scaled to 0..65535), through CIE XYZ with the D65 white point (IEC 61966-2-1).
 */
function dicomLabToRgb([l16, a16, b16]) {
  const l = (l16 * 100) / 65535;
  const a = (a16 * 255) / 65535 - 128;
  const b = (b16 * 255) / 65535 - 128;
  const fy = (l + 16) / 116;
  const inverse = t => (t ** 3 > 216 / 24389 ? t ** 3 : (116 * t - 16) / (24389 / 27));
  const x = 0.95047 * inverse(fy + a / 500);
  const y = inverse(fy);
  const z = 1.08883 * inverse(fy - b / 200);
  const linear = [3.2406 * x - 1.5372 * y - 0.4986 * z, -0.9689 * x + 1.8758 * y + 0.0415 * z,
    0.0557 * x - 0.204 * y + 1.057 * z];
  return linear.map(c => {
    const s = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
    return Math.round(Math.min(1, Math.max(0, s)) * 255);
  });
}

/** A colour's chroma: the colour minus its grey level. */
function chroma([r, g, b]) {
  const mean = (r + g + b) / 3;
  return [r - mean, g - mean, b - mean];
}

/**
 * Which segment each pixel of a viewport screenshot shows, by hue. OHIF blends a segment's colour
 * over the grey CT (fill) or draws it opaque (outline): either way the pixel's chroma points the
 * way the segment colour's chroma does, while the CT's own pixels have none.
 */
function classify(pngBuffer) {
  const png = PNG.sync.read(pngBuffer);
  const n = png.width * png.height;
  const labels = new Int8Array(n).fill(-1);
  const luminance = new Uint8Array(n);
  const counts = segments.map(() => 0);
  const directions = segments.map(s => {
    const c = chroma(s.rgb);
    const norm = Math.hypot(...c);
    return c.map(v => v / norm);
  });
  for (let i = 0; i < n; i++) {
    const p = [png.data[4 * i], png.data[4 * i + 1], png.data[4 * i + 2]];
    luminance[i] = Math.round(0.2126 * p[0] + 0.7152 * p[1] + 0.0722 * p[2]);
    const c = chroma(p);
    const norm = Math.hypot(...c);
    if (norm < 10) {
      continue; // grey: the CT, text, background
    }
    let best = -1;
    let bestCos = 0.97; // within ~14 degrees of a segment colour's hue
    directions.forEach((d, s) => {
      const cos = (c[0] * d[0] + c[1] * d[1] + c[2] * d[2]) / norm;
      if (cos > bestCos) {
        bestCos = cos;
        best = s;
      }
    });
    if (best >= 0) {
      labels[i] = best;
      counts[best]++;
    }
  }
  return { width: png.width, height: png.height, n, labels, luminance, counts };
}

test('DICOMweb lists the plugin\'s SEG and SR in the CT\'s study, the SEG with its segments', async () => {
  const series = await dicomJson(`studies/${expected.study}/series`);
  const byModality = modality => series.filter(s => value(s, '00080060') === modality);
  assert.equal(byModality('CT').length, 1, 'CT series');
  assert.equal(byModality('SEG').length, 1, 'SEG series');
  assert.equal(byModality('SR').length, 1, 'SR series');
  [seg] = byModality('SEG');
  [sr] = byModality('SR');
  const [instance] = await dicomJson(`studies/${expected.study}/series/${value(seg, '0020000E')}/metadata`);
  assert.equal(value(value(instance, '00081115'), '0020000E'), expected.ctSeries, 'Referenced Series: the CT');
  assert.ok(instance['7FE00010']?.BulkDataURI, 'Pixel Data as a BulkDataURI');
  segments = instance['00620002'].Value.map(item => ({
    number: value(item, '00620004'),
    label: value(item, '00620005'),
    rgb: dicomLabToRgb(item['0062000D'].Value),
  }));
  assert.deepEqual(segments.map(s => s.label), expected.segments.map(s => s.label), 'Segment Labels');
  console.log(`SEG segments: ${JSON.stringify(segments)}`);
});

test('OHIF draws the SEG over the CT, in the segments\' colours, where the CT shows them', async () => {
  assert.ok(segments, 'the SEG\'s metadata (previous test)');
  stepStart = Date.now();
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', e => pageErrors.push(e.message));
  // OHIF's own timings (console.timeEnd: studyToFirstImage, ...), for the same purpose
  page.on('console', m => {
    if (m.type() === 'timeEnd') {
      timings.push(`OHIF ${m.text()}`);
    }
  });
  const url = `${base}/viewer/viewer?StudyInstanceUIDs=${expected.study}`;
  assert.equal((await page.goto(url)).status(), 200, url);
  step('open the viewer');
  const { canvas } = await awaitImage(page, 'CT');
  step('CT drawn');
  // The study browser lists the derived series beside the CT.
  const thumbnail = description => page.locator('[data-cy^="study-browser-thumbnail"]', { hasText: description });
  await until('the study browser lists the SEG and the SR', 30_000, async () =>
    await thumbnail(value(seg, '0008103E')).count() === 1 && await thumbnail(value(sr, '0008103E')).count() === 1);
  await settle(page);
  step('SEG and SR listed');
  const plain = await canvas.screenshot({ path: path.join(out, 'ohif-seg-ct-viewport.png') });
  const before = classify(plain);
  segments.forEach((s, i) => assert.ok(before.counts[i] < before.n * 1e-4,
    `${s.label}: ${before.counts[i]} pixels of its colour before the SEG is loaded`));

  await thumbnail(value(seg, '0008103E')).dblclick();
  const yes = page.getByRole('button', { name: 'Yes', exact: true });
  await until('OHIF asks "Do you want to open this Segmentation?"', 30_000, async () =>
    (await page.locator('body').innerText()).includes('Do you want to open this Segmentation?') && await yes.count());
  await yes.click();
  step('SEG double-clicked, prompt answered');

  // Only the pixels count: the SEG's frames decoded and drawn on the CT's slice.
  let drawn;
  await until('the viewport shows every segment in its colour', 60_000, async () => {
    drawn = classify(await canvas.screenshot());
    return { ok: drawn.counts.every(count => count > drawn.n * 1e-3), counts: drawn.counts };
  });
  step('segments drawn');
  await canvas.screenshot({ path: path.join(out, 'ohif-seg-overlay-viewport.png') });
  // Hydrated onto the CT's stack, not a viewport of its own.
  assert.equal((await stackPosition(page))?.[1], expected.ctInstances, 'the stack under the SEG');
  assert.deepEqual([drawn.width, drawn.height], [before.width, before.height], 'the viewport kept its size');
  // Where a segment is drawn, the plain CT shows its tissue: air-dark lung, bright bone.
  expected.segments.forEach((e, s) => {
    let inside = 0;
    let matching = 0;
    for (let i = 0; i < drawn.n; i++) {
      if (drawn.labels[i] === s) {
        inside++;
        if (e.ct === 'dark' ? before.luminance[i] < 40 : before.luminance[i] > 180) {
          matching++;
        }
      }
    }
    console.log(`${e.label}: ${inside} pixels of ${drawn.n} drawn, ${(100 * matching / inside).toFixed(1)} % over ${e.ct} CT`);
    assert.ok(matching / inside > 0.8, `${e.label}: ${matching} of ${inside} drawn pixels lie over ${e.ct} CT`);
  });

  // The segmentation panel: OHIF's list of the loaded segments with their colour swatches.
  await page.locator('[data-cy="panelSegmentation-btn"]').click();
  const rows = await until('the segmentation panel lists the segments', 30_000, async () => {
    const titles = await page.locator('[data-cy="data-row-title"]').allInnerTexts();
    const colours = await page.locator('[data-cy="data-row-colorhex"]').evaluateAll(
      swatches => swatches.map(e => getComputedStyle(e).backgroundColor));
    return { ok: titles.length === segments.length, titles, colours };
  });
  assert.deepEqual(rows.titles, segments.map(s => s.label), 'segment labels in the panel');
  rows.colours.forEach((css, i) => {
    const rgb = css.match(/\d+/g).slice(0, 3).map(Number);
    assert.ok(rgb.every((v, k) => Math.abs(v - segments[i].rgb[k]) <= 2),
      `${segments[i].label}: OHIF colours it ${css}, its Recommended Display CIELab Value is rgb(${segments[i].rgb})`);
  });
  await until('the viewport, resized beside the panel, still shows every segment', 30_000, async () => {
    const c = classify(await canvas.screenshot());
    return { ok: c.counts.every(count => count > c.n * 1e-3), counts: c.counts };
  });
  await settle(page);
  await page.screenshot({ path: path.join(out, 'ohif-seg-overlay.png') });
  step('segmentation panel');
  assert.ok(!(await page.locator('body').innerText()).includes('Something went wrong'), 'OHIF reported an error');
  assert.deepEqual(pageErrors, [], 'uncaught errors in the page');
  await page.close();
});

test('the viewer loaded the SEG from this server without a failed request', () => {
  const foreign = requests.filter(u => !(u.startsWith(origin + '/') || u.startsWith('data:') || u.startsWith('blob:')));
  assert.deepEqual(foreign, [], 'requests to other origins');
  const segUid = value(seg, '0020000E');
  assert.ok(requests.some(u => u.includes(`/series/${segUid}/`)), 'the SEG series was retrieved');
  assert.deepEqual(failures, [], 'failed requests');
});
