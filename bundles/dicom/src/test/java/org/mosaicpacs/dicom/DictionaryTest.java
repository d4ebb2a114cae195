package org.mosaicpacs.dicom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DictionaryTest {

    @Test
    void tagsByKeywordAndKeywordsByTag() {
        assertThat(Tag.PatientName).isEqualTo(0x00100010);
        assertThat(ElementDictionary.tagOf("PatientName")).isEqualTo(0x00100010);
        DictionaryEntry e = ElementDictionary.lookup(Tag.PatientName);
        assertThat(e.name()).isEqualTo("Patient's Name");
        assertThat(e.vr()).isEqualTo(VR.PN);
        assertThat(e.vm()).isEqualTo("1");
        assertThat(e.retired()).isFalse();
        assertThat(ElementDictionary.keywordOf(0x00090010)).isEmpty();
        assertThat(ElementDictionary.entries()).hasSizeGreaterThan(4900);
        assertThatThrownBy(() -> ElementDictionary.tagOf("NoSuchKeyword")).isInstanceOf(IllegalArgumentException.class);
        assertThat(Tags.toString(Tag.PixelData)).isEqualTo("(7FE0,0010)");
        assertThat(Tags.parse("(7fe0,0010)")).isEqualTo(Tag.PixelData);
        assertThat(Tags.parse("7FE00010")).isEqualTo(Tag.PixelData);
    }

    @Test
    void repeatingGroupsAndRanges() {
        DictionaryEntry overlay = ElementDictionary.lookup(0x60023000);
        assertThat(overlay.keyword()).isEqualTo("OverlayData");
        assertThat(overlay.tagPattern()).isEqualTo("(60xx,3000)");
        assertThat(overlay.vrs()).containsExactly(VR.OB, VR.OW);
        assertThat(ElementDictionary.lookup(0x00203105).keyword()).isEqualTo("SourceImageIDs");
        assertThat(ElementDictionary.lookup(0x00203105).tagPattern()).isEqualTo("(0020,31xx)");
        assertThat(ElementDictionary.lookup(0x10002223).keyword()).isEqualTo("HuffmanTableTriplet");
        assertThat(ElementDictionary.lookup(0x60013000)).as("odd groups are private").isNull();
        assertThat(ElementDictionary.lookup(0x00191000)).isNull();
        assertThat(ElementDictionary.lookup(0x00190010).vr()).as("private creator").isEqualTo(VR.LO);
        assertThat(ElementDictionary.lookup(0x00180000).vr()).as("group length").isEqualTo(VR.UL);
        assertThat(ElementDictionary.lookup(Tag.SmallestImagePixelValue).vrs()).containsExactly(VR.US, VR.SS);
        assertThat(ElementDictionary.lookup(Tag.Item).vrs()).isEmpty();
    }

    @Test
    void privateElementsByCreator() {
        assertThat(ElementDictionary.vrOf(0x00291010, "SIEMENS CSA HEADER")).isEqualTo(VR.OB);
        assertThat(ElementDictionary.vrOf(0x00291110, "SIEMENS CSA HEADER")).isEqualTo(VR.OB);
        assertThat(ElementDictionary.vrOf(0x00291010, "NOBODY")).isEqualTo(VR.UN);
    }

    @Test
    void uidsAndTheStorageSopClassesOfAnnexB() {
        assertThat(UID.CTImageStorage).isEqualTo("1.2.840.10008.5.1.4.1.1.2");
        UidEntry ct = UidRegistry.lookup(UID.CTImageStorage);
        assertThat(ct.name()).isEqualTo("CT Image Storage");
        assertThat(ct.type()).isEqualTo(UidEntry.SOP_CLASS);
        assertThat(UidRegistry.lookupKeyword("CTImageStorage")).isEqualTo(ct);
        List<String> storage = UidRegistry.storageSopClasses(false).stream().map(UidEntry::uid).toList();
        assertThat(storage).contains(UID.CTImageStorage, UID.MRImageStorage, UID.EnhancedSRStorage,
                UID.EncapsulatedPDFStorage, UID.RTPlanStorage, UID.TwelveLeadECGWaveformStorage,
                UID.SegmentationStorage, UID.DigitalXRayImageStorageForPresentation, UID.RTBeamsDeliveryInstructionStorage)
                .doesNotContain(UID.StorageCommitmentPushModel, UID.MediaStorageDirectoryStorage,
                        UID.HangingProtocolStorage, UID.ColorPaletteStorage, UID.GenericImplantTemplateStorage,
                        UID.Verification, UID.UltrasoundImageStorageRetired);
        assertThat(storage).hasSizeGreaterThan(140);
        assertThat(UidRegistry.storageSopClasses(true).stream().map(UidEntry::uid))
                .contains(UID.UltrasoundImageStorageRetired, UID.NuclearMedicineImageStorageRetired);
        assertThat(UidRegistry.isStorageSopClass(UID.CTImageStorage)).isTrue();
        assertThat(UidRegistry.ofType(UidEntry.TRANSFER_SYNTAX)).extracting(UidEntry::uid)
                .contains(UID.ImplicitVRLittleEndian, UID.JPEG2000);
        assertThat(TransferSyntax.of(UID.JPEG2000).encapsulated()).isTrue();
        assertThat(TransferSyntax.of(UID.ExplicitVRBigEndian).bigEndian()).isTrue();
        assertThat(TransferSyntax.of("1.2.3.4").explicitVR()).isTrue();
    }

    @Test
    void generatedUidsAreValidAndUnique() {
        Set<String> seen = new HashSet<>();
        UidGenerator rooted = UidGenerator.withRoot("1.2.826.0.1.3680043.10.1234.56789.123456");
        for (int i = 0; i < 10_000; i++) {
            String uuid = UidGenerator.newUid();
            String r = rooted.createUid();
            assertThat(uuid).startsWith("2.25.").matches(UidGenerator::isValid);
            assertThat(r).startsWith("1.2.826.0.1.3680043.10.1234.56789.123456.").matches(UidGenerator::isValid);
            assertThat(uuid.length()).isLessThanOrEqualTo(64);
            assertThat(r.length()).isLessThanOrEqualTo(64);
            assertThat(seen.add(uuid) && seen.add(r)).isTrue();
        }
        assertThat(UidGenerator.isValid("1.2.03")).isFalse();
        assertThat(UidGenerator.isValid("1.2.0.3")).isTrue();
        assertThat(UidGenerator.isValid("1..2")).isFalse();
        assertThat(UidGenerator.isValid("1.2.")).isFalse();
        assertThatThrownBy(() -> UidGenerator.withRoot("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UidGenerator.withRoot("1.02")).isInstanceOf(IllegalArgumentException.class);
    }
}
