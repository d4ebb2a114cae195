// Drives Mosaic's DICOMweb service with the npm dicomweb-client (the library OHIF uses) and
// checks every answer against values pydicom read from the stored files (expected.py).
//
// Environment: MOSAIC_DICOMWEB (base URL, e.g. http://127.0.0.1:8181/dicom-web),
// MOSAIC_EXPECTED (the JSON written by expected.py). Run: node --test dicomweb-client.test.mjs
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import XMLHttpRequest from 'xhr2';
import dicomweb from 'dicomweb-client';

globalThis.XMLHttpRequest = XMLHttpRequest;
const { DICOMwebClient } = dicomweb.api;

const url = process.env.MOSAIC_DICOMWEB;
const expected = JSON.parse(readFileSync(process.env.MOSAIC_EXPECTED, 'utf8'));
const client = new DICOMwebClient({ url, singlepart: false });

const md5 = (buffer) => createHash('md5').update(Buffer.from(buffer)).digest('hex');
// MD5 of what follows the File Meta Information: (0002,0000) is the first element, at 132 (PS3.10 7.1)
const dataSetMd5 = (buffer) => {
  const b = Buffer.from(buffer);
  assert.equal(b.subarray(128, 132).toString(), 'DICM');
  return md5(b.subarray(144 + b.readUInt32LE(140)));
};
const value = (ds, tag) => ds[tag]?.Value?.[0];
// single-part answers come back as one buffer or as a list of one, depending on the client's parsing
const bytesOf = (r) => new Uint8Array(Array.isArray(r) ? r[0] : r);
const byStudy = Map.groupBy ? Map.groupBy(expected, (e) => e.study) : groupBy(expected, (e) => e.study);
const bySeries = Map.groupBy ? Map.groupBy(expected, (e) => e.series) : groupBy(expected, (e) => e.series);
function groupBy(items, key) {
  const m = new Map();
  for (const i of items) {
    if (!m.has(key(i))) m.set(key(i), []);
    m.get(key(i)).push(i);
  }
  return m;
}
const nativeImage = expected.find((e) => e.frame1Md5 && e.modality === 'CT');
const multiFrame = expected.find((e) => e.frame1Md5 && e.frames > 1);
const compressed = expected.find((e) => e.transferSyntax === '1.2.840.10008.1.2.4.80');
const korean = expected.find((e) => e.patientName?.Phonetic);

before(async () => {
  // STOW-RS, 10 instances per request, as a viewer's upload would
  for (let i = 0; i < expected.length; i += 10) {
    const datasets = expected.slice(i, i + 10).map((e) => {
      const b = readFileSync(e.path);
      return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
    });
    await client.storeInstances({ datasets });
  }
});

test('searchForStudies finds every study with its UTF-8 person name groups', async () => {
  for (const [study, entries] of byStudy) {
    const found = await client.searchForStudies({ queryParams: { StudyInstanceUID: study } });
    assert.equal(found.length, 1, study);
    assert.deepEqual(value(found[0], '00100010'), entries[0].patientName, study);
    assert.equal(value(found[0], '00100020'), entries[0].patientId);
    assert.equal(value(found[0], '00201208'), entries.length, 'NumberOfStudyRelatedInstances');
    assert.equal(value(found[0], '00201206'), new Set(entries.map((e) => e.series)).size);
  }
  assert.ok(korean, 'the corpus has a name with all three groups');
});

test('searchForStudies with OHIF-style parameters: wildcard, limit, offset, includefield', async () => {
  const patientId = expected[0].patientId;
  const prefix = patientId.slice(0, 3);
  const all = await client.searchForStudies({
    queryParams: { PatientID: `*${patientId.slice(1)}*`, fuzzymatching: false,
      includefield: '00081030,00080060', limit: 101, offset: 0 },
  });
  assert.ok(all.length >= 1);
  assert.ok(all.every((s) => value(s, '00100020').includes(patientId.slice(1))));
  const page = await client.searchForStudies({ queryParams: { PatientID: `${prefix}*`, limit: 1, offset: 1 } });
  assert.equal(page.length, 1);
  const uids = [...byStudy.keys()].slice(0, 2);
  const list = await client.searchForStudies({ queryParams: { StudyInstanceUID: uids.join('\\') } });
  assert.deepEqual(list.map((s) => value(s, '0020000D')).sort(), [...uids].sort());
});

test('searchForSeries and searchForInstances', async () => {
  for (const [study, entries] of byStudy) {
    const series = await client.searchForSeries({ studyInstanceUID: study });
    assert.deepEqual(series.map((s) => value(s, '0020000E')).sort(), [...new Set(entries.map((e) => e.series))].sort());
    for (const s of series) {
      const uid = value(s, '0020000E');
      assert.equal(value(s, '00080060'), bySeries.get(uid)[0].modality);
      const instances = await client.searchForInstances({ studyInstanceUID: study, seriesInstanceUID: uid });
      assert.deepEqual(instances.map((i) => value(i, '00080018')).sort(), bySeries.get(uid).map((e) => e.sop).sort());
    }
  }
  const acrossStudies = await client.searchForSeries({ queryParams: { SeriesInstanceUID: expected[0].series } });
  assert.equal(acrossStudies.length, 1);
});

test('retrieveStudyMetadata, retrieveSeriesMetadata, retrieveInstanceMetadata', async () => {
  const e = nativeImage;
  const study = await client.retrieveStudyMetadata({ studyInstanceUID: e.study });
  assert.deepEqual(study.map((m) => value(m, '00080018')).sort(), byStudy.get(e.study).map((x) => x.sop).sort());
  const series = await client.retrieveSeriesMetadata({ studyInstanceUID: e.study, seriesInstanceUID: e.series });
  assert.equal(series.length, bySeries.get(e.series).length);
  const [one] = await client.retrieveInstanceMetadata({ studyInstanceUID: e.study, seriesInstanceUID: e.series,
    sopInstanceUID: e.sop });
  assert.equal(value(one, '00280010'), e.rows);
  assert.equal(value(one, '00280011'), e.columns);
  assert.deepEqual(value(one, '00100010'), e.patientName);
  assert.match(one['7FE00010'].BulkDataURI, /^http.*\/bulkdata\/7FE00010$/);
});

test('retrieveInstance, retrieveSeries, retrieveStudy', async () => {
  // dicomweb-client 0.11.3 rejects its own mediaTypes option for these three calls ("Media type
  // application/ is not supported"), so they run with its default Accept: Explicit VR Little Endian.
  const n = nativeImage;
  const instance = await client.retrieveInstance({ studyInstanceUID: n.study, seriesInstanceUID: n.series,
    sopInstanceUID: n.sop });
  assert.equal(dataSetMd5(instance), n.dataSetMd5, 'stored in Explicit VR Little Endian: the data set as sent');
  const series = await client.retrieveSeries({ studyInstanceUID: n.study, seriesInstanceUID: n.series });
  assert.deepEqual(series.map(dataSetMd5).sort(), bySeries.get(n.series).map((x) => x.dataSetMd5).sort());
  const study = await client.retrieveStudy({ studyInstanceUID: n.study });
  assert.equal(study.length, byStudy.get(n.study).length);
  if (compressed) {
    const c = compressed;
    const decompressed = new Uint8Array(await client.retrieveInstance({ studyInstanceUID: c.study,
      seriesInstanceUID: c.series, sopInstanceUID: c.sop }));
    assert.equal(Buffer.from(decompressed.slice(128, 132)).toString(), 'DICM');
    assert.ok(Buffer.from(decompressed.slice(0, 1024)).includes('1.2.840.10008.1.2.1'), 'transcoded to Explicit VR LE');
    assert.ok(decompressed.byteLength > c.rows * c.columns * c.samples * c.bitsAllocated / 8);
  }
});

test('retrieveInstanceFrames: native pixels, and compressed as stored', async () => {
  const e = nativeImage;
  const [frame] = await client.retrieveInstanceFrames({ studyInstanceUID: e.study, seriesInstanceUID: e.series,
    sopInstanceUID: e.sop, frameNumbers: [1] });
  assert.equal(md5(frame), e.frame1Md5);
  if (multiFrame) {
    const frames = await client.retrieveInstanceFrames({ studyInstanceUID: multiFrame.study,
      seriesInstanceUID: multiFrame.series, sopInstanceUID: multiFrame.sop, frameNumbers: [1, 2] });
    assert.equal(frames.length, 2);
    assert.equal(md5(frames[0]), multiFrame.frame1Md5);
  }
  if (compressed) {
    const c = compressed;
    const [decoded] = await client.retrieveInstanceFrames({ studyInstanceUID: c.study, seriesInstanceUID: c.series,
      sopInstanceUID: c.sop, frameNumbers: [1] });
    assert.equal(decoded.byteLength, c.rows * c.columns * c.samples * c.bitsAllocated / 8);
    const [jls] = await client.retrieveInstanceFrames({ studyInstanceUID: c.study, seriesInstanceUID: c.series,
      sopInstanceUID: c.sop, frameNumbers: [1],
      mediaTypes: [{ mediaType: 'image/jls', transferSyntaxUID: '1.2.840.10008.1.2.4.80' }] });
    const bytes = new Uint8Array(jls);
    assert.deepEqual([bytes[0], bytes[1]], [0xff, 0xd8], 'a JPEG-LS bit stream starts with SOI');
  }
});

test('retrieveInstanceRendered, thumbnails and rendered frames are images', async () => {
  const e = nativeImage;
  const ids = { studyInstanceUID: e.study, seriesInstanceUID: e.series, sopInstanceUID: e.sop };
  const jpeg = bytesOf(await client.retrieveInstanceRendered({ ...ids, mediaTypes: [{ mediaType: 'image/jpeg' }] }));
  assert.deepEqual([jpeg[0], jpeg[1]], [0xff, 0xd8]);
  const png = bytesOf(await client.retrieveInstanceRendered({ ...ids, mediaTypes: [{ mediaType: 'image/png' }],
    queryParams: { viewport: '64,64', window: '40,400,linear' } }));
  assert.equal(Buffer.from(png.slice(1, 4)).toString(), 'PNG');
  assert.equal(Buffer.from(png).readUInt32BE(16), 64, 'width fits the viewport');
  const thumb = bytesOf(await client.retrieveInstanceThumbnail({ ...ids, mediaTypes: [{ mediaType: 'image/jpeg' }] }));
  assert.deepEqual([thumb[0], thumb[1]], [0xff, 0xd8]);
  const frame = bytesOf(await client.retrieveInstanceFramesRendered({ ...ids, frameNumbers: [1],
    mediaTypes: [{ mediaType: 'image/jpeg' }] }));
  assert.deepEqual([frame[0], frame[1]], [0xff, 0xd8]);
});

test('retrieveBulkData follows the BulkDataURIs of the metadata', async () => {
  const e = nativeImage;
  const [meta] = await client.retrieveInstanceMetadata({ studyInstanceUID: e.study, seriesInstanceUID: e.series,
    sopInstanceUID: e.sop });
  const parts = await client.retrieveBulkData({ BulkDataURI: meta['7FE00010'].BulkDataURI });
  assert.equal(md5(parts[0]).length, 32);
  assert.equal(parts[0].byteLength, e.rows * e.columns * e.samples * e.bitsAllocated / 8 * e.frames);
  assert.equal(md5(parts[0].slice(0, e.rows * e.columns * e.samples * e.bitsAllocated / 8)), e.frame1Md5);
});
