#!/usr/bin/python3
"""Test vectors for the JPEG codec, made at test time from independent tools.

  references OUT FILE...   one entry per frame of every JPEG-compressed FILE: the frame's bytes, its
                           image parameters and the frame decoded by DCMTK (dcmdjpeg, default and
                           +cn) and GDCM (gdcmconv --raw), read back with pydicom as native data.
  frames OUT FILE...       the same without the reference decodes (for the fuzz test's seeds).
  natives OUT FILE...      the first frame of each native FILE as raw bytes plus its parameters.
  verify DIR               wraps the frames our encoder wrote (DIR/encoded.json) into DICOM files,
                           decodes them with dcmdjpeg and gdcmconv --raw and compares the first
                           frame with the original pixels: DIR/verified.json, and the decoded
                           frames as raw files.

Raw pixel files use the codec's native layout: little endian samples of the data set's Bits
Allocated, colour by pixel. Run with Debian's /usr/bin/python3 (pydicom, numpy).
"""
import json
import os
import subprocess
import sys

import numpy as np
import pydicom
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.encaps import encapsulate, generate_pixel_data_frame
from pydicom.uid import ExplicitVRLittleEndian, generate_uid

JPEG_SYNTAXES = {
    '1.2.840.10008.1.2.4.50', '1.2.840.10008.1.2.4.51', '1.2.840.10008.1.2.4.57', '1.2.840.10008.1.2.4.70'}


def descriptor(ds):
    return {
        'rows': int(ds.Rows), 'columns': int(ds.Columns), 'samplesPerPixel': int(ds.SamplesPerPixel),
        'bitsAllocated': int(ds.BitsAllocated), 'bitsStored': int(ds.BitsStored),
        'highBit': int(getattr(ds, 'HighBit', int(ds.BitsStored) - 1)),
        'signed': int(getattr(ds, 'PixelRepresentation', 0)) == 1,
        'photometricInterpretation': str(ds.PhotometricInterpretation).strip(),
        'planarConfiguration': int(getattr(ds, 'PlanarConfiguration', 0) or 0),
    }


def frame_count(ds):
    try:
        return max(1, int(getattr(ds, 'NumberOfFrames', 1) or 1))
    except ValueError:
        return 1


def native_frames(ds, bits_allocated_out):
    """Frames of a native data set as codec-layout byte strings (by pixel, LE, given sample width)."""
    rows, cols, spp = int(ds.Rows), int(ds.Columns), int(ds.SamplesPerPixel)
    ba = int(ds.BitsAllocated)
    n = frame_count(ds)
    data = np.frombuffer(ds.PixelData, dtype='<u2' if ba == 16 else np.uint8)
    per_frame = rows * cols * spp
    out = []
    for f in range(n):
        a = data[f * per_frame:(f + 1) * per_frame]
        if spp > 1 and int(getattr(ds, 'PlanarConfiguration', 0) or 0) == 1:
            a = a.reshape(spp, rows * cols).T.reshape(-1)
        a = a.astype('<u2' if bits_allocated_out == 16 else np.uint8)
        out.append(a.tobytes())
    return out


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    return r.returncode, (r.stderr or r.stdout).strip()[:300]


def references(out, files, decode=True):
    os.makedirs(out, exist_ok=True)
    entries = []
    for index, path in enumerate(files):
        try:
            ds = pydicom.dcmread(path)
        except Exception:
            continue
        ts = str(getattr(ds.file_meta, 'TransferSyntaxUID', ''))
        if ts not in JPEG_SYNTAXES or 'PixelData' not in ds:
            continue
        desc = descriptor(ds)
        n = frame_count(ds)
        stem = '%03d' % index
        frames = list(generate_pixel_data_frame(ds.PixelData, n))
        refs = {}
        tools = (('dcmtk', ['dcmdjpeg']), ('dcmtk-cn', ['dcmdjpeg', '+cn']), ('gdcm', ['gdcmconv', '--raw']))
        for tool, cmd in tools if decode else ():
            target = os.path.join(out, '%s.%s.dcm' % (stem, tool))
            code, message = run(cmd + [path, target])
            if code != 0:
                refs[tool] = {'error': message}
                continue
            try:
                rds = pydicom.dcmread(target)
                decoded = native_frames(rds, desc['bitsAllocated'])
            except Exception as e:  # a tool wrote something pydicom cannot read
                refs[tool] = {'error': 'unreadable output: %s' % e}
                continue
            finally:
                os.remove(target)
            refs[tool] = {'pi': str(rds.PhotometricInterpretation).strip(), 'frames': []}
            for f, pixels in enumerate(decoded[:len(frames)]):
                name = '%s_f%d.%s.raw' % (stem, f, tool)
                with open(os.path.join(out, name), 'wb') as fh:
                    fh.write(pixels)
                refs[tool]['frames'].append(name)
        for f, frame in enumerate(frames):
            name = '%s_f%d.jpg' % (stem, f)
            with open(os.path.join(out, name), 'wb') as fh:
                fh.write(frame)
            entry = {'source': path, 'frame': f, 'transferSyntax': ts, 'jpeg': name, 'image': desc, 'refs': {}}
            for tool, ref in refs.items():
                if 'error' in ref:
                    entry['refs'][tool] = {'error': ref['error']}
                elif f < len(ref['frames']):
                    entry['refs'][tool] = {'pi': ref['pi'], 'raw': ref['frames'][f]}
            entries.append(entry)
    with open(os.path.join(out, 'references.json'), 'w') as fh:
        json.dump(entries, fh, indent=1)


def natives(out, files):
    os.makedirs(out, exist_ok=True)
    entries = []
    for path in files:
        ds = pydicom.dcmread(path)
        desc = descriptor(ds)
        name = os.path.basename(path).replace('.dcm', '.raw')
        pixels = native_frames(ds, desc['bitsAllocated'])[0]
        if desc['samplesPerPixel'] > 1:
            desc['planarConfiguration'] = 0
        with open(os.path.join(out, name), 'wb') as fh:
            fh.write(pixels)
        entries.append({'source': path, 'raw': name, 'image': desc})
    with open(os.path.join(out, 'natives.json'), 'w') as fh:
        json.dump(entries, fh, indent=1)


def wrap(path, ts, image, frames):
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = '1.2.840.10008.5.1.4.1.1.7'  # Secondary Capture
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ts
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID = meta.MediaStorageSOPClassUID
    ds.SOPInstanceUID = meta.MediaStorageSOPInstanceUID
    ds.Modality = 'OT'
    ds.Rows = image['rows']
    ds.Columns = image['columns']
    ds.SamplesPerPixel = image['samplesPerPixel']
    ds.BitsAllocated = image['bitsAllocated']
    ds.BitsStored = image['bitsStored']
    ds.HighBit = image['highBit']
    ds.PixelRepresentation = 1 if image['signed'] else 0
    ds.PhotometricInterpretation = image['photometricInterpretation']
    if image['samplesPerPixel'] > 1:
        ds.PlanarConfiguration = 0
    ds.NumberOfFrames = len(frames)
    ds.PixelData = encapsulate(frames)
    ds['PixelData'].VR = 'OB'
    ds.is_little_endian = True
    ds.is_implicit_VR = False
    ds.save_as(path, write_like_original=False)


def to_rgb(values, pi):
    """YBR_FULL (PS3.3 C.7.6.3.1.2) to RGB in floating point, for measuring a lossy decode."""
    if pi != 'YBR_FULL':
        return values
    y, cb, cr = (values[..., i].astype(np.float64) for i in range(3))
    r = y + 1.402 * (cr - 128)
    g = y - 0.344136 * (cb - 128) - 0.714136 * (cr - 128)
    b = y + 1.772 * (cb - 128)
    return np.clip(np.rint(np.stack([r, g, b], axis=-1)), 0, 255)


def verify(directory):
    with open(os.path.join(directory, 'encoded.json')) as fh:
        cases = json.load(fh)
    results = []
    for case in cases:
        original_image = case['original']
        image = case['image']
        bits = original_image['bitsStored']
        mask = (1 << bits) - 1
        dtype = '<u2' if original_image['bitsAllocated'] == 16 else np.uint8
        shape = (original_image['rows'], original_image['columns'], original_image['samplesPerPixel'])
        with open(os.path.join(directory, case['raw']), 'rb') as fh:
            original = (np.frombuffer(fh.read(), dtype=dtype).astype(np.int64) & mask).reshape(shape)
        frames = []
        for name in case['frames']:
            with open(os.path.join(directory, name), 'rb') as fh:
                frames.append(fh.read())
        wrapped = os.path.join(directory, case['name'] + '.dcm')
        wrap(wrapped, case['transferSyntax'], image, frames)
        for tool, cmd in (('dcmdjpeg', ['dcmdjpeg']), ('gdcmconv', ['gdcmconv', '--raw'])):
            target = os.path.join(directory, '%s.%s.dcm' % (case['name'], tool))
            result = {'name': case['name'], 'tool': tool}
            code, message = run(cmd + [wrapped, target])
            if code != 0:
                result['error'] = message
                results.append(result)
                continue
            rds = pydicom.dcmread(target)
            pi = str(rds.PhotometricInterpretation).strip()
            first = native_frames(rds, original_image['bitsAllocated'])[0]
            result['raw'] = '%s.%s.raw' % (case['name'], tool)
            with open(os.path.join(directory, result['raw']), 'wb') as fh:
                fh.write(first)
            os.remove(target)
            decoded = np.frombuffer(first, dtype=dtype)
            decoded = (decoded.astype(np.int64) & mask).reshape(shape)
            if original_image['photometricInterpretation'] == 'RGB':
                decoded = to_rgb(decoded, pi)
            diff = np.abs(decoded.astype(np.float64) - original)
            mse = float(np.mean(diff ** 2))
            result['pi'] = pi
            result['maxError'] = int(diff.max())
            result['psnr'] = 999.0 if mse == 0 else float(10 * np.log10(mask * mask / mse))
            results.append(result)
    with open(os.path.join(directory, 'verified.json'), 'w') as fh:
        json.dump(results, fh, indent=1)


def main():
    command, target, files = sys.argv[1], sys.argv[2], sys.argv[3:]
    if command == 'references':
        references(target, files)
    elif command == 'frames':
        references(target, files, decode=False)
    elif command == 'natives':
        natives(target, files)
    elif command == 'verify':
        verify(target)
    else:
        sys.exit('unknown command ' + command)


if __name__ == '__main__':
    main()
