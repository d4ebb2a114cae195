package org.mosaicpacs.dicomweb.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.dicom.DataSet;
import org.mosaicpacs.dicom.Tag;
import org.mosaicpacs.dicom.VR;

/** The display pipeline of PS3.3 C.11 step by step, on frames whose output is known. */
class RendererTest {

    private static final Renderer.ValueReader IN_MEMORY = DataSet::getBytes;

    private static byte[] le16(int... values) {
        byte[] b = new byte[values.length * 2];
        for (int i = 0; i < values.length; i++) {
            b[2 * i] = (byte) values[i];
            b[2 * i + 1] = (byte) (values[i] >> 8);
        }
        return b;
    }

    private static int[] gray(RenderedImage image) {
        int[] out = new int[image.pixels().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = image.pixels()[i] & 0xFF;
        }
        return out;
    }

    @Test
    void ctRescaleAndLinearWindow() throws IOException {
        // HU = stored - 1024; window 40/400 maps -160 and below to 0, 240 and above to 255 (C.11.2.1.2.1)
        DataSet header = new DataSet();
        header.setString(Tag.RescaleIntercept, VR.DS, "-1024");
        header.setString(Tag.RescaleSlope, VR.DS, "1");
        header.setString(Tag.WindowCenter, VR.DS, "40");
        header.setString(Tag.WindowWidth, VR.DS, "400");
        ImageDescriptor d = new ImageDescriptor(1, 4, 1, 16, 16, 15, true, "MONOCHROME2", 0);
        RenderedImage r = Renderer.render(header, d, le16(1024 - 1000, 1024 - 160, 1024 + 40, 1024 + 500), 1, null,
                IN_MEMORY);
        int[] g = gray(r);
        assertThat(g[0]).isZero();
        assertThat(g[1]).isZero();
        assertThat(g[2]).isBetween(127, 128);
        assertThat(g[3]).isEqualTo(255);
        // the request's window wins, and MONOCHROME1 is inverted
        ImageDescriptor two = new ImageDescriptor(1, 2, 1, 16, 16, 15, true, "MONOCHROME1", 0);
        RenderedImage inverted = Renderer.render(header, two,
                le16(1024 - 1000, 1024 + 500), 1, new Renderer.Window(0, 100, "LINEAR"), IN_MEMORY);
        assertThat(gray(inverted)).containsExactly(255, 0);
    }

    @Test
    void bitsStoredBelowHighBitAndSignExtension() {
        // 12 bits stored, high bit 11: the upper 4 bits are overlay garbage (ignored); 0x800 is -2048 when signed
        ImageDescriptor unsigned = new ImageDescriptor(1, 1, 1, 16, 12, 11, false, "MONOCHROME2", 0);
        assertThat(Renderer.storedValue(unsigned, le16(0xF123), 0)).isEqualTo(0x123);
        ImageDescriptor signed = new ImageDescriptor(1, 1, 1, 16, 12, 11, true, "MONOCHROME2", 0);
        assertThat(Renderer.storedValue(signed, le16(0x0800), 0)).isEqualTo(-2048);
        ImageDescriptor shifted = new ImageDescriptor(1, 1, 1, 16, 12, 15, false, "MONOCHROME2", 0);
        assertThat(Renderer.storedValue(shifted, le16(0x1230), 0)).isEqualTo(0x123);
    }

    @Test
    void windowFunctions() {
        assertThat(Renderer.applyWindow(new Renderer.Window(100, 50, "LINEAR_EXACT"), 100)).isEqualTo(127.5);
        assertThat(Renderer.applyWindow(new Renderer.Window(100, 50, "SIGMOID"), 100)).isEqualTo(127.5);
        assertThat(Renderer.applyWindow(new Renderer.Window(100, 50, "LINEAR_EXACT"), 75)).isZero();
        assertThat(Renderer.Window.parse("40,400,linear-exact")).isEqualTo(new Renderer.Window(40, 400, "LINEAR_EXACT"));
    }

    @Test
    void noWindowInTheObjectUsesTheRangeOfValues() throws IOException {
        ImageDescriptor d = new ImageDescriptor(1, 3, 1, 16, 16, 15, false, "MONOCHROME2", 0);
        assertThat(gray(Renderer.render(new DataSet(), d, le16(1000, 1500, 2000), 1, null, IN_MEMORY)))
                .containsExactly(0, 128, 255);
    }

    @Test
    void voiLutSequence() throws IOException {
        DataSet header = new DataSet();
        DataSet lut = header.newSequence(Tag.VOILUTSequence).addNewItem();
        lut.setInt(Tag.LUTDescriptor, VR.US, 4, 10, 8);
        lut.setBytes(Tag.LUTData, VR.OW, le16(0, 85, 170, 255));
        ImageDescriptor d = new ImageDescriptor(1, 5, 1, 8, 8, 7, false, "MONOCHROME2", 0);
        assertThat(gray(Renderer.render(header, d, new byte[] {5, 10, 11, 13, 99}, 1, null, IN_MEMORY)))
                .containsExactly(0, 0, 85, 255, 255);
    }

    @Test
    void colourModels() throws IOException {
        // RGB by plane (Planar Configuration 1) comes out interleaved
        ImageDescriptor planar = new ImageDescriptor(1, 2, 3, 8, 8, 7, false, "RGB", 1);
        RenderedImage rgb = Renderer.render(new DataSet(), planar, new byte[] {10, 20, 30, 40, 50, 60}, 1, null, IN_MEMORY);
        assertThat(gray(rgb)).containsExactly(10, 30, 50, 20, 40, 60);
        // YBR_FULL (C.7.6.3.1.2): pure red is Y 76, Cb 85, Cr 255
        ImageDescriptor ybr = new ImageDescriptor(1, 1, 3, 8, 8, 7, false, "YBR_FULL", 0);
        int[] red = gray(Renderer.render(new DataSet(), ybr, new byte[] {76, 85, (byte) 255}, 1, null, IN_MEMORY));
        assertThat(red[0]).isGreaterThan(250);
        assertThat(red[1]).isLessThan(3);
        assertThat(red[2]).isLessThan(3);
        // native YBR_FULL_422: Y1 Y2 Cb Cr for two pixels
        ImageDescriptor ybr422 = new ImageDescriptor(1, 2, 3, 8, 8, 7, false, "YBR_FULL_422", 0);
        int[] two = gray(Renderer.render(new DataSet(), ybr422, new byte[] {(byte) 128, 0, (byte) 128, (byte) 128}, 1,
                null, IN_MEMORY));
        assertThat(two).containsExactly(128, 128, 128, 0, 0, 0);
    }

    @Test
    void paletteColour() throws IOException {
        DataSet header = new DataSet();
        header.setInt(Tag.RedPaletteColorLookupTableDescriptor, VR.US, 2, 0, 16);
        header.setInt(Tag.GreenPaletteColorLookupTableDescriptor, VR.US, 2, 0, 16);
        header.setInt(Tag.BluePaletteColorLookupTableDescriptor, VR.US, 2, 0, 16);
        header.setBytes(Tag.RedPaletteColorLookupTableData, VR.OW, le16(0xFFFF, 0));
        header.setBytes(Tag.GreenPaletteColorLookupTableData, VR.OW, le16(0, 0xFFFF));
        header.setBytes(Tag.BluePaletteColorLookupTableData, VR.OW, le16(0, 0x8000));
        ImageDescriptor d = new ImageDescriptor(1, 2, 1, 8, 8, 7, false, "PALETTE COLOR", 0);
        assertThat(gray(Renderer.render(header, d, new byte[] {0, 1}, 1, null, IN_MEMORY)))
                .containsExactly(255, 0, 0, 0, 255, 128);
    }

    @Test
    void enhancedMultiFrameUsesTheFramesFunctionalGroups() throws IOException {
        DataSet header = new DataSet();
        header.setString(Tag.WindowCenter, VR.DS, "0");
        header.setString(Tag.WindowWidth, VR.DS, "1");
        var perFrame = header.newSequence(Tag.PerFrameFunctionalGroupsSequence);
        perFrame.addNewItem();
        DataSet voi = perFrame.addNewItem().newSequence(Tag.FrameVOILUTSequence).addNewItem();
        voi.setString(Tag.WindowCenter, VR.DS, "100");
        voi.setString(Tag.WindowWidth, VR.DS, "2");
        ImageDescriptor d = new ImageDescriptor(1, 1, 1, 8, 8, 7, false, "MONOCHROME2", 0);
        assertThat(gray(Renderer.render(header, d, new byte[] {50}, 2, null, IN_MEMORY))).containsExactly(0);
        assertThat(gray(Renderer.render(header, d, new byte[] {50}, 1, null, IN_MEMORY))).containsExactly(255);
    }

    @Test
    void pngAndViewport() throws IOException {
        byte[] pixels = new byte[40 * 20 * 3];
        for (int i = 0; i < pixels.length; i += 3) {
            pixels[i] = (byte) 200;
            pixels[i + 2] = (byte) 50;
        }
        RenderedImage image = new RenderedImage(40, 20, 3, pixels).fitInto(10, 10);
        assertThat(image.width()).isEqualTo(10);
        assertThat(image.height()).isEqualTo(5);
        // the JDK's reader, used by the test only, reads our PNG back pixel for pixel
        BufferedImage png = ImageIO.read(new ByteArrayInputStream(PngWriter.write(image)));
        assertThat(png.getWidth()).isEqualTo(10);
        assertThat(png.getRGB(3, 3) & 0xFFFFFF).isEqualTo(200 << 16 | 50);
        RenderedImage enlarged = new RenderedImage(2, 1, 1, new byte[] {0, (byte) 255}).fitInto(8, 8);
        assertThat(enlarged.width()).isEqualTo(8);
        assertThat(enlarged.height()).isEqualTo(4);
    }
}
