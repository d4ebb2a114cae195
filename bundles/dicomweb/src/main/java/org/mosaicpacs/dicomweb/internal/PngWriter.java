package org.mosaicpacs.dicomweb.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.DeflaterOutputStream;

/**
 * Writes 8-bit grey or RGB images as PNG (ISO/IEC 15948) with the JDK's zlib: no ImageIO, so
 * nothing depends on which image plugins happen to be registered globally in the framework.
 */
final class PngWriter {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private PngWriter() {
    }

    static byte[] write(RenderedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(SIGNATURE);
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream h = new DataOutputStream(ihdr);
            h.writeInt(image.width());
            h.writeInt(image.height());
            h.writeByte(8);                                  // bit depth
            h.writeByte(image.samples() == 1 ? 0 : 2);       // colour type: greyscale or truecolour
            h.writeByte(0);                                  // deflate
            h.writeByte(0);                                  // adaptive filtering
            h.writeByte(0);                                  // no interlace
            chunk(out, "IHDR", ihdr.toByteArray());
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            try (DeflaterOutputStream z = new DeflaterOutputStream(idat)) {
                int rowBytes = image.width() * image.samples();
                for (int y = 0; y < image.height(); y++) {
                    z.write(0); // filter type None
                    z.write(image.pixels(), y * rowBytes, rowBytes);
                }
            }
            chunk(out, "IDAT", idat.toByteArray());
            chunk(out, "IEND", new byte[0]);
            return out.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory PNG encoding failed", e);
        }
    }

    private static void chunk(OutputStream out, String type, byte[] data) throws IOException {
        DataOutputStream d = new DataOutputStream(out);
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        d.writeInt(data.length);
        d.write(typeBytes);
        d.write(data);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        d.writeInt((int) crc.getValue());
    }
}
