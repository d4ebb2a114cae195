package org.mosaicpacs.dicom.net.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.AAbort;
import org.mosaicpacs.dicom.net.AAssociateAc;
import org.mosaicpacs.dicom.net.AAssociateRj;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.AsyncOperationsWindow;
import org.mosaicpacs.dicom.net.CommonExtendedNegotiation;
import org.mosaicpacs.dicom.net.ExtendedNegotiation;
import org.mosaicpacs.dicom.net.PresentationContextResult;
import org.mosaicpacs.dicom.net.RoleSelection;
import org.mosaicpacs.dicom.net.UserIdentity;
import org.mosaicpacs.dicom.net.UserInformation;

/** Every PDU of PS3.8 9.3 and every User Information sub-item of PS3.7 D.3.3, encoded and decoded back. */
class PduCodecTest {

    static AAssociateRq fullRequest() {
        return AAssociateRq.builder("CALLED_AE", "CALLING")
                .presentationContext(UID.Verification, UID.ImplicitVRLittleEndian)
                .presentationContext(UID.CTImageStorage, UID.JPEGLosslessSV1, UID.ExplicitVRLittleEndian)
                .scpRoleContext(UID.MRImageStorage)
                .asyncOperationsWindow(5, 3)
                .extendedNegotiation(new ExtendedNegotiation(UID.StudyRootQueryRetrieveInformationModelFind,
                        new byte[] {1, 1, 0, 1}))
                .commonExtendedNegotiation(new CommonExtendedNegotiation("1.2.3.4.5.6", "1.2.840.10008.4.2",
                        List.of(UID.CTImageStorage, UID.EnhancedCTImageStorage)))
                .userIdentity(UserIdentity.usernameAndPasscode("alice", "s3cret", true))
                .maxPduLength(32768)
                .build();
    }

    @Test
    void associateRqRoundTrip() throws Exception {
        AAssociateRq rq = fullRequest();
        byte[] pdu = PduCodec.encode(rq);
        assertThat(pdu[0]).isEqualTo((byte) PduCodec.A_ASSOCIATE_RQ);
        assertThat(length(pdu)).isEqualTo(pdu.length - 6);
        AAssociateRq back = PduCodec.decodeAssociateRq(Arrays.copyOfRange(pdu, 6, pdu.length), pdu.length - 6);
        assertThat(back).isEqualTo(rq);
        assertThat(back.userInformation().userIdentity().secondaryField()).isEqualTo("s3cret".getBytes());
        assertThat(back.userInformation().roleSelection(UID.MRImageStorage)).contains(new RoleSelection(UID.MRImageStorage, false, true));
        // AE titles are space padded to 16 bytes (PS3.8 9.3.2)
        assertThat(new String(pdu, 10, 16)).isEqualTo("CALLED_AE       ");
    }

    @Test
    void associateAcRoundTrip() throws Exception {
        UserInformation ui = new UserInformation(16384, "1.2.3", "VERSION", new AsyncOperationsWindow(2, 1),
                List.of(new RoleSelection(UID.MRImageStorage, false, true)),
                List.of(new ExtendedNegotiation(UID.StudyRootQueryRetrieveInformationModelFind, new byte[] {1})),
                List.of(), null, "ticket".getBytes());
        AAssociateAc ac = new AAssociateAc(1, "CALLED", "CALLING", AAssociateRq.DICOM_APPLICATION_CONTEXT,
                List.of(new PresentationContextResult(1, 0, UID.ImplicitVRLittleEndian),
                        new PresentationContextResult(3, PresentationContextResult.ABSTRACT_SYNTAX_NOT_SUPPORTED,
                                UID.ExplicitVRLittleEndian)), ui);
        byte[] pdu = PduCodec.encode(ac);
        assertThat(PduCodec.decodeAssociateAc(Arrays.copyOfRange(pdu, 6, pdu.length), pdu.length - 6)).isEqualTo(ac);
    }

    @Test
    void fixedSizePdus() throws Exception {
        byte[] rj = PduCodec.encode(AAssociateRj.calledAeNotRecognized());
        assertThat(rj).containsExactly(3, 0, 0, 0, 0, 4, 0, 1, 1, 7);
        assertThat(PduCodec.decodeAssociateRj(Arrays.copyOfRange(rj, 6, 10), 4)).isEqualTo(AAssociateRj.calledAeNotRecognized());
        byte[] abort = PduCodec.encode(AAbort.byProvider(AAbort.REASON_UNEXPECTED_PDU));
        assertThat(abort).containsExactly(7, 0, 0, 0, 0, 4, 0, 0, 2, 2);
        assertThat(PduCodec.releaseRq()).containsExactly(5, 0, 0, 0, 0, 4, 0, 0, 0, 0);
        assertThat(PduCodec.releaseRp()).containsExactly(6, 0, 0, 0, 0, 4, 0, 0, 0, 0);
        assertThat(AAssociateRj.localLimitExceeded().toString())
                .isEqualTo("rejected-transient, service-provider (presentation), local-limit-exceeded");
    }

    @Test
    void readerRejectsBadLengthsBeforeAllocating() {
        byte[] hugeData = {4, 0, 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(hugeData), 16384).readPdu())
                .isInstanceOf(PduException.class).hasMessageContaining("Maximum Length we announced");
        byte[] longRelease = {5, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(longRelease), 16384).readPdu())
                .isInstanceOf(PduException.class).hasMessageContaining("PDU-length 4");
        byte[] unknown = {9, 0, 0, 0, 0, 0};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(unknown), 16384).readPdu())
                .isInstanceOf(PduException.class)
                .satisfies(e -> assertThat(((PduException) e).abortReason()).isEqualTo(AAbort.REASON_UNRECOGNIZED_PDU));
        byte[] truncated = {4, 0, 0, 0, 0, 20, 0, 0, 0, 10, 1, 3};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(truncated), 16384).readPdu())
                .isInstanceOf(PduException.class).hasMessageContaining("connection closed inside a PDU");
        byte[] badPdv = {4, 0, 0, 0, 0, 6, 0, 0, 0, 9, 1, 3};
        assertThatThrownBy(() -> new PduReader(new ByteArrayInputStream(badPdv), 16384).readPdu())
                .isInstanceOf(PduException.class).hasMessageContaining("PDV item length 9");
    }

    @Test
    void truncatedItemsAreReportedNotThrownAsRuntimeExceptions() {
        byte[] pdu = PduCodec.encode(fullRequest());
        for (int cut = 68; cut < pdu.length - 6; cut += 7) {
            int len = cut;
            byte[] body = Arrays.copyOfRange(pdu, 6, 6 + len);
            // a cut inside an item must fail cleanly; a cut between items may leave a valid PDU
            try {
                PduCodec.decodeAssociateRq(body, len);
            } catch (PduException expected) {
                assertThat(expected.getMessage()).isNotBlank();
            }
        }
    }

    @Test
    void pdvsAreWalkedInOrder() throws Exception {
        byte[] pdu = {4, 0, 0, 0, 0, 14, 0, 0, 0, 3, 1, 3, 'a', 0, 0, 0, 3, 1, 2, 'b'};
        PduReader r = new PduReader(new ByteArrayInputStream(pdu), 16384);
        assertThat(r.readPdu()).isEqualTo(PduCodec.P_DATA_TF);
        assertThat(r.nextPdv()).isTrue();
        assertThat(r.pdvCommand()).isTrue();
        assertThat(r.pdvLast()).isTrue();
        assertThat(r.body()[r.pdvOffset()]).isEqualTo((byte) 'a');
        assertThat(r.nextPdv()).isTrue();
        assertThat(r.pdvCommand()).isFalse();
        assertThat(r.pdvLast()).isTrue();
        assertThat(r.nextPdv()).isFalse();
        assertThat(r.readPdu()).isEqualTo(-1);
    }

    private static int length(byte[] pdu) {
        return ((pdu[2] & 0xFF) << 24) | ((pdu[3] & 0xFF) << 16) | ((pdu[4] & 0xFF) << 8) | (pdu[5] & 0xFF);
    }
}
