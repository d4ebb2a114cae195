package org.mosaicpacs.codec.jpeg2000.internal;

import java.awt.Point;
import java.awt.image.BandedSampleModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import org.mosaicpacs.api.codec.CodecException;
import org.mosaicpacs.api.codec.EncodedFrame;
import org.mosaicpacs.api.codec.ImageDescriptor;

import com.github.jaiimageio.jpeg2000.impl.J2KImageWriteParamJava;

import jj2000.j2k.codestream.writer.FileCodestreamWriter;
import jj2000.j2k.codestream.writer.HeaderEncoder;
import jj2000.j2k.entropy.encoder.EntropyCoder;
import jj2000.j2k.entropy.encoder.PostCompRateAllocator;
import jj2000.j2k.image.ImgDataConverter;
import jj2000.j2k.image.Tiler;
import jj2000.j2k.image.forwcomptransf.ForwCompTransf;
import jj2000.j2k.quantization.quantizer.Quantizer;
import jj2000.j2k.roi.encoder.ROIScaler;
import jj2000.j2k.wavelet.analysis.ForwardWT;

/**
 * Encodes one frame as a raw JPEG 2000 code stream (PS3.5 A.4.4: no JP2 header) with JJ2000's
 * encoding chain, the way jai-imageio's J2KImageWriter wires it but without ImageIO: one tile,
 * 64x64 code-blocks, up to five decomposition levels, precision = Bits Stored.
 *
 * <p>Lossless: 5/3 wavelet, reversible quantisation and, for RGB, the RCT (Photometric
 * Interpretation becomes YBR_RCT, PS3.5 8.2.4). Lossy: 9/7 wavelet, expounded quantisation, the
 * ICT for RGB (YBR_ICT), and post-compression rate allocation to the bit rate that gives the
 * requested compression ratio against the native frame (Bits Allocated per sample), though
 * never under 1 KiB per frame.
 */
final class J2kEncoder {

    private static final int MAX_DECOMPOSITION_LEVELS = 5;
    /** Room for the main and tile headers (about 100-200 bytes) and some data. */
    private static final int MIN_LOSSY_BYTES = 1024;

    private J2kEncoder() {
    }

    static EncodedFrame encode(ImageDescriptor image, byte[] pixels, boolean lossless, double ratio)
            throws IOException, CodecException {
        if (pixels.length < image.frameLength()) {
            throw new CodecException("native frame has " + pixels.length + " bytes, " + image.rows() + "x"
                    + image.columns() + "x" + image.samplesPerPixel() + " samples of " + image.bitsAllocated()
                    + " bits need " + image.frameLength());
        }
        int n = image.samplesPerPixel();
        boolean colourTransform = n == 3 && image.photometricInterpretation().equals("RGB");
        try (Jj2000Messages ignored = Jj2000Messages.collect()) {
            J2KImageWriteParamJava param = new J2KImageWriteParamJava(geometry(image));
            param.setLossless(lossless);
            param.setFilters(lossless ? "w5x3" : "w9x7"); // also sets the quantisation type
            param.setComponentTransformation(Boolean.toString(colourTransform));
            if (!lossless) {
                // JJ2000's default base step (1/128 of the dynamic range) is 512 grey levels for
                // 16-bit data: CT would come out at 100:1 whatever the target. One grey level, as
                // OpenJPEG uses, leaves the size to the rate allocator.
                param.setQuantizationStep(Double.toString(Math.scalb(1.0, -image.bitsStored())));
            }
            param.setDecompositionLevel(Integer.toString(decompositionLevels(image)));
            param.setCodeBlockSize("64 64");
            param.setSOP("false");
            param.setEPH("false");
            // Double.MAX_VALUE: keep every coding pass, as jai-imageio does for lossless. Lossy
            // frames get at least MIN_LOSSY_BYTES, or tiny ones would not fit their own headers.
            long pixelCount = (long) image.rows() * image.columns();
            double bitsPerPixel = lossless ? Double.MAX_VALUE
                    : Math.max(n * image.bitsAllocated() / ratio, MIN_LOSSY_BYTES * 8.0 / pixelCount);
            param.setEncodingRate(bitsPerPixel);

            FrameSource source = new FrameSource(image, pixels);
            Tiler tiler = new Tiler(source, 0, 0, 0, 0, image.columns(), image.rows());
            ForwCompTransf componentTransform = new ForwCompTransf(tiler, param);
            ImgDataConverter converter = new ImgDataConverter(componentTransform);
            ForwardWT wavelet = ForwardWT.createInstance(converter, param);
            Quantizer quantizer = Quantizer.createInstance(wavelet, param);
            ROIScaler roi = ROIScaler.createInstance(quantizer, param);
            EntropyCoder entropy = EntropyCoder.createInstance(roi, param, param.getCodeBlockSize(),
                    param.getPrecinctPartition(), param.getBypass(), param.getResetMQ(), param.getTerminateOnByte(),
                    param.getCausalCXInfo(), param.getCodeSegSymbol(), param.getMethodForMQLengthCalc(),
                    param.getMethodForMQTermination());
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(image.frameLength(), 1 << 24));
            FileCodestreamWriter writer = new FileCodestreamWriter(out, Integer.MAX_VALUE);
            PostCompRateAllocator rates = PostCompRateAllocator.createInstance(entropy, (float) bitsPerPixel, writer,
                    param);
            boolean[] signed = new boolean[n];
            Arrays.fill(signed, image.signed());
            HeaderEncoder header = new HeaderEncoder(source, signed, wavelet, tiler, param, roi, rates);
            rates.setHeaderEncoder(header);
            // The allocator needs the header's length before it can spend the rest of the budget.
            header.encodeMainHeader();
            rates.initialize();
            header.reset();
            header.encodeMainHeader();
            writer.commitBitstreamHeader(header);
            rates.runAndWrite();
            writer.close();

            ImageDescriptor encoded = image.withPlanarConfiguration(0);
            if (colourTransform) {
                encoded = encoded.withPhotometricInterpretation(lossless ? "YBR_RCT" : "YBR_ICT");
            }
            return new EncodedFrame(out.toByteArray(), encoded, !lossless);
        }
    }

    /** As many levels as fit, up to five: OpenJPEG refuses more resolutions than the smaller side allows. */
    private static int decompositionLevels(ImageDescriptor image) {
        int smaller = Math.min(image.rows(), image.columns());
        int levels = 0;
        while (levels < MAX_DECOMPOSITION_LEVELS && smaller >> (levels + 1) > 0) {
            levels++;
        }
        return levels;
    }

    /**
     * JJ2000's parameter object takes the image size and component count from a Raster. This one
     * has the right geometry and no pixel buffer: the samples come from {@link FrameSource}.
     */
    private static Raster geometry(ImageDescriptor image) {
        BandedSampleModel model = new BandedSampleModel(DataBuffer.TYPE_BYTE, image.columns(), image.rows(),
                image.samplesPerPixel());
        return new Raster(model, new DataBufferByte(1), new Point(0, 0)) {
        };
    }
}
