package org.mosaicpacs.codec.jpeg2000.internal;

import java.awt.Point;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.DecodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;

import com.github.jaiimageio.jpeg2000.impl.J2KImageReadParamJava;

import jj2000.j2k.codestream.HeaderInfo;
import jj2000.j2k.codestream.reader.BitstreamReaderAgent;
import jj2000.j2k.codestream.reader.HeaderDecoder;
import jj2000.j2k.decoder.DecoderSpecs;
import jj2000.j2k.entropy.decoder.EntropyDecoder;
import jj2000.j2k.fileformat.reader.FileFormatReader;
import jj2000.j2k.image.DataBlk;
import jj2000.j2k.image.DataBlkFloat;
import jj2000.j2k.image.DataBlkInt;
import jj2000.j2k.image.invcomptransf.InvCompTransf;
import jj2000.j2k.io.RandomAccessIO;
import jj2000.j2k.quantization.dequantizer.Dequantizer;
import jj2000.j2k.roi.ROIDeScaler;
import jj2000.j2k.util.ISRandomAccessIO;
import jj2000.j2k.wavelet.synthesis.InverseWT;

/**
 * Decodes one JPEG 2000 frame (raw code stream or JP2-wrapped) with JJ2000's decoding chain up to
 * the inverse wavelet transform; the last steps are done here, the way OpenJPEG (and so GDCM)
 * does them, so that lossy frames decode to the same pixels: the inverse component transform in
 * single-precision floating point (ISO/IEC 15444-1 G.2, G.3), rounding half to even, DC level shift
 * and clipping to the component's range (G.1.2).
 *
 * <p>The code stream's SIZ marker is authoritative for the samples, as in GDCM: a component signed
 * in the code stream is sign-extended to Bits Allocated, an unsigned one is not, whatever Pixel
 * Representation says, and the returned descriptor carries the code stream's signedness
 * (pydicom's J2K_pixelrep_mismatch.dcm: Pixel Representation 1, unsigned 13-bit code stream).
 */
final class J2kDecoder {

    private J2kDecoder() {
    }

    static DecodedFrame decode(ImageDescriptor image, byte[] frame) throws IOException, CodecException {
        try (Jj2000Messages messages = Jj2000Messages.collect()) {
            DecodedFrame decoded = decode(image, frame, messages);
            for (String warning : messages.warnings()) {
                // JJ2000 warns and decodes what it has when data is missing; we never hand out a
                // partially decoded image as if it were whole. A missing EOC marker after the last
                // tile-part loses nothing (GDCM's JP2 files have one JJ2000 does not see): ignored.
                if (warning.contains("truncated") || warning.contains("tile-parts have not been found")) {
                    throw new CodecException("JPEG 2000 code stream is incomplete: " + warning);
                }
            }
            return decoded;
        }
    }

    private static DecodedFrame decode(ImageDescriptor image, byte[] frame, Jj2000Messages messages)
            throws IOException, CodecException {
        if (frame.length < 2) {
            throw new CodecException("JPEG 2000 frame of " + frame.length + " bytes holds no code stream");
        }
        RandomAccessIO in = randomAccess(frame);
        FileFormatReader fileFormat = new FileFormatReader(in, null);
        fileFormat.readFileFormat();
        int codeStream = fileFormat.getFirstCodeStreamPos();
        TileParts tileParts = TileParts.scan(frame, codeStream);
        if (tileParts.problem() != null) {
            throw new CodecException("JPEG 2000 code stream is incomplete: " + tileParts.problem());
        }
        if (tileParts.stream() != frame) {
            in = randomAccess(tileParts.stream());
        }
        in.seek(codeStream);

        J2KImageReadParamJava param = new J2KImageReadParamJava();
        HeaderInfo info = new HeaderInfo();
        HeaderDecoder header = new HeaderDecoder(in, param, info);
        Components components = Components.of(header, image);

        DecoderSpecs specs = header.getDecoderSpecs();
        BitstreamReaderAgent reader = BitstreamReaderAgent.createInstance(in, header, param, specs, false, info);
        EntropyDecoder entropy = header.createEntropyDecoder(reader, param);
        ROIDeScaler roi = header.createROIDeScaler(entropy, param, specs);
        Dequantizer dequantizer = header.createDequantizer(roi, components.precision(), specs);
        InverseWT wavelet = InverseWT.createInstance(dequantizer, specs);
        wavelet.setImgResLevel(reader.getImgRes());

        byte[] out = new byte[(int) image.frameLength()];
        Point tiles = wavelet.getNumTiles(null);
        if (tileParts.tiles().size() != tiles.x * tiles.y) {
            throw new CodecException("JPEG 2000 code stream has tile-parts for " + tileParts.tiles().size() + " of its "
                    + tiles.x * tiles.y + " tiles (truncated data)");
        }
        boolean colourTransform = false;
        for (int ty = 0; ty < tiles.y; ty++) {
            for (int tx = 0; tx < tiles.x; tx++) {
                wavelet.setTile(tx, ty);
                int tile = wavelet.getTileIdx();
                boolean transform = components.count() >= 3
                        && ((Integer) specs.cts.getTileDef(tile)) != InvCompTransf.NONE;
                colourTransform |= transform;
                decodeTile(wavelet, tile, components, transform, image, out);
            }
        }
        String photometric = image.photometricInterpretation();
        if (colourTransform || photometric.equals("YBR_RCT") || photometric.equals("YBR_ICT")) {
            // PS3.5 8.2.4: YBR_RCT and YBR_ICT describe the code stream; decoded pixels are RGB.
            photometric = "RGB";
        }
        ImageDescriptor decoded = new ImageDescriptor(image.rows(), image.columns(), image.samplesPerPixel(),
                image.bitsAllocated(), image.bitsStored(), image.highBit(), components.signed()[0], photometric, 0);
        return new DecodedFrame(out, decoded);
    }

    private static void decodeTile(InverseWT wavelet, int tile, Components components, boolean transform,
                                   ImageDescriptor image, byte[] out) throws CodecException {
        int n = components.count();
        int width = wavelet.getTileCompWidth(tile, 0);
        int height = wavelet.getTileCompHeight(tile, 0);
        int x0 = wavelet.getCompULX(0) - wavelet.getImgULX();
        int y0 = wavelet.getCompULY(0) - wavelet.getImgULY();
        if (x0 < 0 || y0 < 0 || x0 + width > image.columns() || y0 + height > image.rows()) {
            throw new CodecException("JPEG 2000 tile " + tile + " at " + x0 + "," + y0 + " size " + width + "x"
                    + height + " lies outside the " + image.columns() + "x" + image.rows() + " image");
        }
        int[][] ints = new int[n][];
        float[][] floats = new float[n][];
        int[] offset = new int[n];
        int[] scan = new int[n];
        boolean floating = false;
        for (int c = 0; c < n; c++) {
            if (wavelet.getTileCompWidth(tile, c) != width || wavelet.getTileCompHeight(tile, c) != height) {
                throw new CodecException("JPEG 2000 tile " + tile + " components differ in size");
            }
            DataBlk block = wavelet.getInternCompData(new DataBlkInt(0, 0, width, height), c);
            if (block instanceof DataBlkFloat f) {
                floats[c] = f.data;
                floating = true;
            } else {
                ints[c] = ((DataBlkInt) block).data;
            }
            offset[c] = block.offset;
            scan[c] = block.scanw;
        }
        int bytesPerSample = image.bitsAllocated() / 8;
        float[] f = new float[n];
        int[] v = new int[n];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < n; c++) {
                    int k = offset[c] + y * scan[c] + x;
                    if (floats[c] != null) {
                        f[c] = floats[c][k];
                    } else if (floating) {
                        f[c] = ints[c][k];
                    } else {
                        v[c] = ints[c][k];
                    }
                }
                if (floating) {
                    if (transform) {
                        // ICT inverse (15444-1 G.3), as OpenJPEG's opj_mct_decode_real computes it
                        float luma = f[0];
                        float cb = f[1];
                        float cr = f[2];
                        f[0] = luma + cr * 1.402f;
                        f[1] = luma - cb * 0.34413f - cr * 0.71414f;
                        f[2] = luma + cb * 1.772f;
                    }
                    for (int c = 0; c < n; c++) {
                        v[c] = roundHalfEven(f[c]);
                    }
                } else if (transform) {
                    // RCT inverse (15444-1 G.2)
                    int g = v[0] - ((v[1] + v[2]) >> 2);
                    int r = v[2] + g;
                    int b = v[1] + g;
                    v[0] = r;
                    v[1] = g;
                    v[2] = b;
                }
                int at = ((y0 + y) * image.columns() + x0 + x) * n * bytesPerSample;
                for (int c = 0; c < n; c++, at += bytesPerSample) {
                    long sample = Math.max(components.min[c], Math.min(components.max[c],
                            (long) v[c] + components.levelShift[c]));
                    out[at] = (byte) sample;
                    if (bytesPerSample == 2) {
                        out[at + 1] = (byte) (sample >> 8);
                    }
                }
            }
        }
    }

    private static RandomAccessIO randomAccess(byte[] data) {
        return new ISRandomAccessIO(new ByteArrayInputStream(data), data.length, 1, data.length);
    }

    /** lrintf in the default rounding mode, which OpenJPEG uses; saturates like its INT_MIN/INT_MAX guard. */
    private static int roundHalfEven(float value) {
        return (int) Math.rint(value);
    }

    /** Per-component facts from the SIZ marker, checked against the data set's Image Pixel attributes. */
    private record Components(int count, int[] precision, boolean[] signed, long[] levelShift, long[] min,
                              long[] max) {

        static Components of(HeaderDecoder header, ImageDescriptor image) throws CodecException {
            int n = header.getNumComps();
            if (n != image.samplesPerPixel()) {
                throw new CodecException("JPEG 2000 code stream has " + n + " components, the data set says "
                        + image.samplesPerPixel() + " Samples per Pixel");
            }
            if (header.getImgWidth() != image.columns() || header.getImgHeight() != image.rows()) {
                throw new CodecException("JPEG 2000 code stream is " + header.getImgWidth() + "x"
                        + header.getImgHeight() + ", the data set says " + image.columns() + "x" + image.rows());
            }
            int[] precision = new int[n];
            boolean[] signed = new boolean[n];
            long[] shift = new long[n];
            long[] min = new long[n];
            long[] max = new long[n];
            for (int c = 0; c < n; c++) {
                if (header.getCompSubsX(c) != 1 || header.getCompSubsY(c) != 1) {
                    throw new CodecException("JPEG 2000 component " + c + " is subsampled ("
                            + header.getCompSubsX(c) + "x" + header.getCompSubsY(c)
                            + "), which DICOM does not use");
                }
                precision[c] = header.getOriginalBitDepth(c);
                signed[c] = header.isOriginalSigned(c);
                if (precision[c] > image.bitsAllocated()) {
                    throw new CodecException("JPEG 2000 component " + c + " has " + precision[c]
                            + "-bit samples, more than Bits Allocated " + image.bitsAllocated());
                }
                shift[c] = signed[c] ? 0 : 1L << (precision[c] - 1);
                min[c] = signed[c] ? -(1L << (precision[c] - 1)) : 0;
                max[c] = signed[c] ? (1L << (precision[c] - 1)) - 1 : (1L << precision[c]) - 1;
            }
            for (int c = 1; c < n; c++) {
                if (signed[c] != signed[0]) {
                    throw new CodecException("JPEG 2000 components differ in signedness");
                }
            }
            return new Components(n, precision, signed, shift, min, max);
        }
    }
}
