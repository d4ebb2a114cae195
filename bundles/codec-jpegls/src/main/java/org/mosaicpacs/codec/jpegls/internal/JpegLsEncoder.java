package org.mosaicpacs.codec.jpegls.internal;

import org.mosaicpacs.api.codec.CodecException;

/**
 * Writes a JPEG-LS interchange stream (ITU-T T.87 Annex C): SOI, SOF55, an LSE segment when
 * needed, DRI when a restart interval is set, the scans, EOI.
 */
final class JpegLsEncoder {

    /**
     * How to encode.
     *
     * @param precision       sample precision P, 2..16
     * @param maxVal          MAXVAL, 0 for the default 2^P - 1
     * @param near            NEAR, 0 for lossless
     * @param interleave      ILV: 0 one scan per component, 1 line, 2 sample interleaved
     * @param restartInterval lines per restart interval, 0 for none
     * @param t1              preset T1, 0 for the default (likewise t2, t3, reset)
     */
    record Settings(int precision, int maxVal, int near, int interleave, int restartInterval, int t1, int t2, int t3,
                    int reset) {

        static Settings of(int precision, int near, int interleave) {
            return new Settings(precision, 0, near, interleave, 0, 0, 0, 0, 0);
        }
    }

    private JpegLsEncoder() {
    }

    static byte[] encode(SampleSource source, int width, int height, int components, Settings settings,
                         QuantizationTables tables) throws CodecException {
        if (width < 1 || height < 1 || width > 0xFFFF || height > 0xFFFF) {
            throw new CodecException("JPEG-LS cannot encode " + width + "x" + height + " samples");
        }
        if (components < 1 || components > 4) {
            throw new CodecException("JPEG-LS encoding supports 1 to 4 components, not " + components);
        }
        if (settings.interleave() < 0 || settings.interleave() > 2) {
            throw new CodecException("JPEG-LS interleave mode " + settings.interleave() + " not in 0..2");
        }
        int precision = settings.precision();
        if (precision < 2 || precision > 16) {
            throw new CodecException("JPEG-LS sample precision " + precision + " not in 2..16");
        }
        CodingParameters p = CodingParameters.resolve(precision, settings.near(), settings.maxVal(), settings.t1(), settings.t2(),
                settings.t3(), settings.reset());
        long samples = (long) width * height * components;
        ByteSink out = new ByteSink((int) Math.min(Integer.MAX_VALUE - 64, samples * (precision > 8 ? 2 : 1) / 2 + 1024));

        out.writeShort(0xFF00 | JpegLsDecoder.SOI);
        out.writeShort(0xFF00 | JpegLsDecoder.SOF55);
        out.writeShort(8 + 3 * components);
        out.write(precision);
        out.writeShort(height);
        out.writeShort(width);
        out.write(components);
        for (int i = 0; i < components; i++) {
            out.write(i + 1); // component identifier
            out.write(0x11); // no subsampling
            out.write(0); // Tq, always 0 in JPEG-LS
        }
        // Decoders written before the default thresholds for more than 12 bits were settled
        // (CharLS writes LSE in that case for the same reason) get the thresholds explicitly.
        if (!p.hasDefaultPresets(precision) || precision > 12) {
            out.writeShort(0xFF00 | JpegLsDecoder.LSE);
            out.writeShort(13);
            out.write(1);
            out.writeShort(p.maxVal);
            out.writeShort(p.t1);
            out.writeShort(p.t2);
            out.writeShort(p.t3);
            out.writeShort(p.reset);
        }
        if (settings.restartInterval() > 0) {
            out.writeShort(0xFF00 | JpegLsDecoder.DRI);
            out.writeShort(4);
            out.writeShort(settings.restartInterval());
        }
        byte[] quantization = tables.forParameters(p);
        if (settings.interleave() == 0 || components == 1) {
            for (int i = 0; i < components; i++) {
                writeScan(out, new int[] {i}, 0, p, quantization, source, width, height, settings);
            }
        } else {
            int[] all = new int[components];
            for (int i = 0; i < components; i++) {
                all[i] = i;
            }
            writeScan(out, all, settings.interleave(), p, quantization, source, width, height, settings);
        }
        out.writeShort(0xFF00 | JpegLsDecoder.EOI);
        return out.toByteArray();
    }

    private static void writeScan(ByteSink out, int[] components, int interleave, CodingParameters p,
                                  byte[] quantization, SampleSource source, int width, int height, Settings settings)
            throws CodecException {
        out.writeShort(0xFF00 | JpegLsDecoder.SOS);
        out.writeShort(6 + 2 * components.length);
        out.write(components.length);
        for (int component : components) {
            out.write(component + 1);
            out.write(0); // no mapping table
        }
        out.write(p.near);
        out.write(interleave);
        out.write(0); // no point transform
        ScanEncoder scan = new ScanEncoder(p, quantization, out, source);
        scan.codeScan(width, height, components, interleave, settings.restartInterval());
        scan.finish();
    }
}
