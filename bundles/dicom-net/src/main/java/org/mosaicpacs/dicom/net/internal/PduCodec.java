package org.mosaicpacs.dicom.net.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.mosaicpacs.dicom.net.AAbort;
import org.mosaicpacs.dicom.net.AAssociateAc;
import org.mosaicpacs.dicom.net.AAssociateRj;
import org.mosaicpacs.dicom.net.AAssociateRq;
import org.mosaicpacs.dicom.net.AsyncOperationsWindow;
import org.mosaicpacs.dicom.net.CommonExtendedNegotiation;
import org.mosaicpacs.dicom.net.ExtendedNegotiation;
import org.mosaicpacs.dicom.net.PresentationContext;
import org.mosaicpacs.dicom.net.PresentationContextResult;
import org.mosaicpacs.dicom.net.RoleSelection;
import org.mosaicpacs.dicom.net.UserIdentity;
import org.mosaicpacs.dicom.net.UserInformation;

/**
 * Encodes and decodes the PDUs of PS3.8 9.3 other than P-DATA-TF (see {@link PduReader} and
 * {@link PDataWriter}), with the User Information sub-items of PS3.7 Annex D.3.3. All multi-byte
 * fields are big endian. Decoding works on the PDU's variable field (after the 6-byte header) and
 * throws {@link PduException} for anything malformed; unknown items and sub-items are skipped, as
 * PS3.8 9.3.1 asks of a receiver.
 */
public final class PduCodec {

    public static final int A_ASSOCIATE_RQ = 0x01;
    public static final int A_ASSOCIATE_AC = 0x02;
    public static final int A_ASSOCIATE_RJ = 0x03;
    public static final int P_DATA_TF = 0x04;
    public static final int A_RELEASE_RQ = 0x05;
    public static final int A_RELEASE_RP = 0x06;
    public static final int A_ABORT = 0x07;

    private static final int APPLICATION_CONTEXT = 0x10;
    private static final int PRESENTATION_CONTEXT_RQ = 0x20;
    private static final int PRESENTATION_CONTEXT_AC = 0x21;
    private static final int ABSTRACT_SYNTAX = 0x30;
    private static final int TRANSFER_SYNTAX = 0x40;
    private static final int USER_INFORMATION = 0x50;
    private static final int MAXIMUM_LENGTH = 0x51;
    private static final int IMPLEMENTATION_CLASS_UID = 0x52;
    private static final int ASYNC_OPERATIONS_WINDOW = 0x53;
    private static final int ROLE_SELECTION = 0x54;
    private static final int IMPLEMENTATION_VERSION_NAME = 0x55;
    private static final int EXTENDED_NEGOTIATION = 0x56;
    private static final int COMMON_EXTENDED_NEGOTIATION = 0x57;
    private static final int USER_IDENTITY_RQ = 0x58;
    private static final int USER_IDENTITY_AC = 0x59;

    /** Fixed part of A-ASSOCIATE-RQ/AC: version, reserved, two AE titles, 32 reserved bytes. */
    private static final int ASSOCIATE_FIXED_LENGTH = 68;

    private PduCodec() {
    }

    /** A human name of a PDU type for logs. */
    public static String name(int type) {
        return switch (type) {
            case A_ASSOCIATE_RQ -> "A-ASSOCIATE-RQ";
            case A_ASSOCIATE_AC -> "A-ASSOCIATE-AC";
            case A_ASSOCIATE_RJ -> "A-ASSOCIATE-RJ";
            case P_DATA_TF -> "P-DATA-TF";
            case A_RELEASE_RQ -> "A-RELEASE-RQ";
            case A_RELEASE_RP -> "A-RELEASE-RP";
            case A_ABORT -> "A-ABORT";
            default -> String.format("unknown PDU type %02XH", type);
        };
    }

    // ------------------------------------------------------------------------------ encoding

    public static byte[] encode(AAssociateRq rq) {
        Out out = associateHeader(A_ASSOCIATE_RQ, rq.protocolVersion(), rq.calledAeTitle(), rq.callingAeTitle());
        uidItem(out, APPLICATION_CONTEXT, rq.applicationContext());
        for (PresentationContext pc : rq.presentationContexts()) {
            int start = out.itemStart(PRESENTATION_CONTEXT_RQ, 0);
            out.u8(pc.id()).u8(0).u8(0).u8(0);
            uidItem(out, ABSTRACT_SYNTAX, pc.abstractSyntax());
            for (String ts : pc.transferSyntaxes()) {
                uidItem(out, TRANSFER_SYNTAX, ts);
            }
            out.itemEnd(start);
        }
        userInformation(out, rq.userInformation());
        return out.finishPdu();
    }

    public static byte[] encode(AAssociateAc ac) {
        Out out = associateHeader(A_ASSOCIATE_AC, ac.protocolVersion(), ac.calledAeTitle(), ac.callingAeTitle());
        uidItem(out, APPLICATION_CONTEXT, ac.applicationContext());
        for (PresentationContextResult pc : ac.presentationContexts()) {
            int start = out.itemStart(PRESENTATION_CONTEXT_AC, 0);
            out.u8(pc.id()).u8(0).u8(pc.result()).u8(0);
            uidItem(out, TRANSFER_SYNTAX, pc.transferSyntax());
            out.itemEnd(start);
        }
        userInformation(out, ac.userInformation());
        return out.finishPdu();
    }

    public static byte[] encode(AAssociateRj rj) {
        return new byte[] {A_ASSOCIATE_RJ, 0, 0, 0, 0, 4, 0, (byte) rj.result(), (byte) rj.source(), (byte) rj.reason()};
    }

    public static byte[] encode(AAbort abort) {
        return new byte[] {A_ABORT, 0, 0, 0, 0, 4, 0, 0, (byte) abort.source(), (byte) abort.reason()};
    }

    public static byte[] releaseRq() {
        return new byte[] {A_RELEASE_RQ, 0, 0, 0, 0, 4, 0, 0, 0, 0};
    }

    public static byte[] releaseRp() {
        return new byte[] {A_RELEASE_RP, 0, 0, 0, 0, 4, 0, 0, 0, 0};
    }

    private static Out associateHeader(int type, int version, String called, String calling) {
        Out out = new Out(type);
        out.u16(version).u16(0).ae(called).ae(calling);
        out.zeros(32);
        return out;
    }

    private static void uidItem(Out out, int type, String uid) {
        byte[] b = uid.getBytes(StandardCharsets.US_ASCII);
        out.u8(type).u8(0).u16(b.length).bytes(b);
    }

    private static void userInformation(Out out, UserInformation ui) {
        int start = out.itemStart(USER_INFORMATION, 0);
        out.u8(MAXIMUM_LENGTH).u8(0).u16(4).u32(ui.maxPduLength());
        uidItem(out, IMPLEMENTATION_CLASS_UID, ui.implementationClassUid());
        AsyncOperationsWindow w = ui.asyncOperationsWindow();
        if (w != null) {
            out.u8(ASYNC_OPERATIONS_WINDOW).u8(0).u16(4).u16(w.maxOperationsInvoked()).u16(w.maxOperationsPerformed());
        }
        for (RoleSelection r : ui.roleSelections()) {
            byte[] uid = ascii(r.sopClassUid());
            out.u8(ROLE_SELECTION).u8(0).u16(uid.length + 4).u16(uid.length).bytes(uid)
                    .u8(r.scu() ? 1 : 0).u8(r.scp() ? 1 : 0);
        }
        if (ui.implementationVersionName() != null) {
            uidItem(out, IMPLEMENTATION_VERSION_NAME, ui.implementationVersionName());
        }
        for (ExtendedNegotiation e : ui.extendedNegotiations()) {
            byte[] uid = ascii(e.sopClassUid());
            byte[] info = e.information();
            out.u8(EXTENDED_NEGOTIATION).u8(0).u16(2 + uid.length + info.length).u16(uid.length).bytes(uid).bytes(info);
        }
        for (CommonExtendedNegotiation c : ui.commonExtendedNegotiations()) {
            int item = out.itemStart(COMMON_EXTENDED_NEGOTIATION, 0);
            byte[] uid = ascii(c.sopClassUid());
            byte[] svc = ascii(c.serviceClassUid());
            out.u16(uid.length).bytes(uid).u16(svc.length).bytes(svc);
            int related = out.position();
            out.u16(0);
            for (String r : c.relatedGeneralSopClasses()) {
                byte[] rb = ascii(r);
                out.u16(rb.length).bytes(rb);
            }
            out.patch16(related, out.position() - related - 2);
            out.itemEnd(item);
        }
        UserIdentity id = ui.userIdentity();
        if (id != null) {
            byte[] primary = id.primaryField();
            byte[] secondary = id.secondaryField();
            out.u8(USER_IDENTITY_RQ).u8(0).u16(6 + primary.length + secondary.length)
                    .u8(id.type()).u8(id.positiveResponseRequested() ? 1 : 0)
                    .u16(primary.length).bytes(primary).u16(secondary.length).bytes(secondary);
        }
        byte[] response = ui.userIdentityServerResponse();
        if (response != null) {
            out.u8(USER_IDENTITY_AC).u8(0).u16(2 + response.length).u16(response.length).bytes(response);
        }
        out.itemEnd(start);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------------------ decoding

    /** Decodes the variable field of an A-ASSOCIATE-RQ. */
    public static AAssociateRq decodeAssociateRq(byte[] b, int length) throws PduException {
        In in = new In(b, 0, length, "A-ASSOCIATE-RQ");
        int version = in.u16();
        in.skip(2);
        String called = in.ae();
        String calling = in.ae();
        in.skip(32);
        String appContext = null;
        List<PresentationContext> contexts = new ArrayList<>();
        UserInformation ui = null;
        while (in.remaining() > 0) {
            int type = in.u8();
            in.skip(1);
            In item = in.sub(in.u16(), itemName(type));
            switch (type) {
                case APPLICATION_CONTEXT -> appContext = item.uid(item.remaining());
                case PRESENTATION_CONTEXT_RQ -> contexts.add(presentationContextRq(item));
                case USER_INFORMATION -> ui = userInformation(item);
                case PRESENTATION_CONTEXT_AC -> throw new PduException(AAbort.REASON_UNEXPECTED_PDU_PARAMETER,
                        "A-ASSOCIATE-RQ carries an A-ASSOCIATE-AC presentation context item (21H)");
                default -> {
                    // PS3.8 9.3.1: items of an unknown type are ignored
                }
            }
        }
        if (appContext == null) {
            throw PduException.invalid("A-ASSOCIATE-RQ has no Application Context item");
        }
        if (ui == null) {
            throw PduException.invalid("A-ASSOCIATE-RQ has no User Information item");
        }
        try {
            return new AAssociateRq(version, called, calling, appContext, contexts, ui);
        } catch (IllegalArgumentException e) {
            throw PduException.invalid("A-ASSOCIATE-RQ: " + e.getMessage());
        }
    }

    /** Decodes the variable field of an A-ASSOCIATE-AC. */
    public static AAssociateAc decodeAssociateAc(byte[] b, int length) throws PduException {
        In in = new In(b, 0, length, "A-ASSOCIATE-AC");
        int version = in.u16();
        in.skip(2);
        String called = in.ae();
        String calling = in.ae();
        in.skip(32);
        String appContext = null;
        List<PresentationContextResult> contexts = new ArrayList<>();
        UserInformation ui = null;
        while (in.remaining() > 0) {
            int type = in.u8();
            in.skip(1);
            In item = in.sub(in.u16(), itemName(type));
            switch (type) {
                case APPLICATION_CONTEXT -> appContext = item.uid(item.remaining());
                case PRESENTATION_CONTEXT_AC -> contexts.add(presentationContextAc(item));
                case USER_INFORMATION -> ui = userInformation(item);
                case PRESENTATION_CONTEXT_RQ -> throw new PduException(AAbort.REASON_UNEXPECTED_PDU_PARAMETER,
                        "A-ASSOCIATE-AC carries an A-ASSOCIATE-RQ presentation context item (20H)");
                default -> {
                    // ignored, PS3.8 9.3.1
                }
            }
        }
        if (appContext == null || ui == null) {
            throw PduException.invalid("A-ASSOCIATE-AC lacks its Application Context or User Information item");
        }
        try {
            return new AAssociateAc(version, called, calling, appContext, contexts, ui);
        } catch (IllegalArgumentException e) {
            throw PduException.invalid("A-ASSOCIATE-AC: " + e.getMessage());
        }
    }

    /** Decodes the variable field of an A-ASSOCIATE-RJ. */
    public static AAssociateRj decodeAssociateRj(byte[] b, int length) throws PduException {
        checkFixedLength("A-ASSOCIATE-RJ", length);
        return new AAssociateRj(b[1] & 0xFF, b[2] & 0xFF, b[3] & 0xFF);
    }

    /** Decodes the variable field of an A-ABORT. */
    public static AAbort decodeAbort(byte[] b, int length) throws PduException {
        checkFixedLength("A-ABORT", length);
        return new AAbort(b[2] & 0xFF, b[3] & 0xFF);
    }

    /** Checks the variable field of a PDU that has exactly 4 reserved or fixed bytes. */
    public static void checkFixedLength(String pdu, long length) throws PduException {
        if (length != 4) {
            throw PduException.invalid(pdu + " must have PDU-length 4, has " + length);
        }
    }

    private static PresentationContext presentationContextRq(In item) throws PduException {
        int id = item.u8();
        item.skip(3);
        String abstractSyntax = null;
        List<String> transferSyntaxes = new ArrayList<>();
        while (item.remaining() > 0) {
            int type = item.u8();
            item.skip(1);
            int len = item.u16();
            if (type == ABSTRACT_SYNTAX) {
                abstractSyntax = item.uid(len);
            } else if (type == TRANSFER_SYNTAX) {
                transferSyntaxes.add(item.uid(len));
            } else {
                item.skip(len);
            }
        }
        if (abstractSyntax == null || transferSyntaxes.isEmpty()) {
            throw PduException.invalid("presentation context " + id + " lacks an abstract or a transfer syntax");
        }
        try {
            return new PresentationContext(id, abstractSyntax, transferSyntaxes);
        } catch (IllegalArgumentException e) {
            throw PduException.invalid(e.getMessage());
        }
    }

    private static PresentationContextResult presentationContextAc(In item) throws PduException {
        int id = item.u8();
        item.skip(1);
        int result = item.u8();
        item.skip(1);
        String ts = "";
        while (item.remaining() > 0) {
            int type = item.u8();
            item.skip(1);
            int len = item.u16();
            if (type == TRANSFER_SYNTAX) {
                ts = item.uid(len);
            } else {
                item.skip(len);
            }
        }
        if (result == PresentationContextResult.ACCEPTANCE && ts.isEmpty()) {
            throw PduException.invalid("accepted presentation context " + id + " names no transfer syntax");
        }
        try {
            return new PresentationContextResult(id, result, ts);
        } catch (IllegalArgumentException e) {
            throw PduException.invalid(e.getMessage());
        }
    }

    private static UserInformation userInformation(In in) throws PduException {
        long maxLength = 0;
        String implUid = "";
        String implVersion = null;
        AsyncOperationsWindow window = null;
        List<RoleSelection> roles = new ArrayList<>();
        List<ExtendedNegotiation> extended = new ArrayList<>();
        List<CommonExtendedNegotiation> common = new ArrayList<>();
        UserIdentity identity = null;
        byte[] identityResponse = null;
        while (in.remaining() > 0) {
            int type = in.u8();
            in.skip(1);
            In sub = in.sub(in.u16(), itemName(type));
            switch (type) {
                case MAXIMUM_LENGTH -> maxLength = sub.u32();
                case IMPLEMENTATION_CLASS_UID -> implUid = sub.uid(sub.remaining());
                case IMPLEMENTATION_VERSION_NAME -> {
                    String name = sub.uid(sub.remaining());
                    // tolerate over-long names from peers rather than refusing the association
                    implVersion = name.length() > 16 ? name.substring(0, 16) : name;
                }
                case ASYNC_OPERATIONS_WINDOW -> window = new AsyncOperationsWindow(sub.u16(), sub.u16());
                case ROLE_SELECTION -> {
                    String uid = sub.uid(sub.u16());
                    roles.add(new RoleSelection(uid, sub.u8() != 0, sub.u8() != 0));
                }
                case EXTENDED_NEGOTIATION -> {
                    String uid = sub.uid(sub.u16());
                    extended.add(new ExtendedNegotiation(uid, sub.bytes(sub.remaining())));
                }
                case COMMON_EXTENDED_NEGOTIATION -> {
                    String uid = sub.uid(sub.u16());
                    String service = sub.uid(sub.u16());
                    In related = sub.sub(sub.u16(), "related general SOP class identification");
                    List<String> relatedUids = new ArrayList<>();
                    while (related.remaining() > 0) {
                        relatedUids.add(related.uid(related.u16()));
                    }
                    common.add(new CommonExtendedNegotiation(uid, service, relatedUids));
                }
                case USER_IDENTITY_RQ -> {
                    int idType = sub.u8();
                    boolean positive = sub.u8() != 0;
                    byte[] primary = sub.bytes(sub.u16());
                    byte[] secondary = sub.bytes(sub.u16());
                    try {
                        identity = new UserIdentity(idType, positive, primary, secondary);
                    } catch (IllegalArgumentException e) {
                        throw PduException.invalid(e.getMessage());
                    }
                }
                case USER_IDENTITY_AC -> identityResponse = sub.bytes(sub.u16());
                default -> {
                    // unknown sub-items are ignored (PS3.7 D.3.3)
                }
            }
        }
        return new UserInformation(maxLength, implUid, implVersion, window, roles, extended, common, identity,
                identityResponse);
    }

    private static String itemName(int type) {
        return String.format("item %02XH", type);
    }

    /** A growable big-endian buffer that starts with a 6-byte PDU header. */
    private static final class Out {
        private byte[] buf = new byte[512];
        private int pos;

        Out(int pduType) {
            u8(pduType).u8(0).u32(0);
        }

        Out u8(int v) {
            ensure(1);
            buf[pos++] = (byte) v;
            return this;
        }

        Out u16(int v) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("value " + v + " does not fit a 16-bit PDU field");
            }
            ensure(2);
            buf[pos++] = (byte) (v >>> 8);
            buf[pos++] = (byte) v;
            return this;
        }

        Out u32(long v) {
            ensure(4);
            buf[pos++] = (byte) (v >>> 24);
            buf[pos++] = (byte) (v >>> 16);
            buf[pos++] = (byte) (v >>> 8);
            buf[pos++] = (byte) v;
            return this;
        }

        Out bytes(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
            return this;
        }

        Out zeros(int n) {
            ensure(n);
            pos += n;
            return this;
        }

        Out ae(String title) {
            byte[] b = Arrays.copyOf(title.getBytes(StandardCharsets.US_ASCII), 16);
            for (int i = title.length(); i < 16; i++) {
                b[i] = ' ';
            }
            return bytes(b);
        }

        int position() {
            return pos;
        }

        int itemStart(int type, int reserved) {
            u8(type).u8(reserved).u16(0);
            return pos;
        }

        void itemEnd(int start) {
            patch16(start - 2, pos - start);
        }

        void patch16(int at, int v) {
            if (v > 0xFFFF) {
                throw new IllegalArgumentException("item of " + v + " bytes exceeds the 16-bit item length");
            }
            buf[at] = (byte) (v >>> 8);
            buf[at + 1] = (byte) v;
        }

        byte[] finishPdu() {
            int len = pos - 6;
            buf[2] = (byte) (len >>> 24);
            buf[3] = (byte) (len >>> 16);
            buf[4] = (byte) (len >>> 8);
            buf[5] = (byte) len;
            return Arrays.copyOf(buf, pos);
        }

        private void ensure(int n) {
            if (pos + n > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
            }
        }
    }

    /** A bounded big-endian reader over part of a PDU; running past its end is a {@link PduException}. */
    private static final class In {
        private final byte[] b;
        private int pos;
        private final int end;
        private final String what;

        In(byte[] b, int pos, int length, String what) {
            this.b = b;
            this.pos = pos;
            this.end = pos + length;
            this.what = what;
        }

        int remaining() {
            return end - pos;
        }

        private void need(int n) throws PduException {
            if (n < 0 || pos + n > end) {
                throw PduException.invalid(what + " is truncated: needs " + n + " more bytes at offset " + pos
                        + ", has " + (end - pos));
            }
        }

        In sub(int length, String name) throws PduException {
            need(length);
            In s = new In(b, pos, length, name + " in " + what);
            pos += length;
            return s;
        }

        void skip(int n) throws PduException {
            need(n);
            pos += n;
        }

        int u8() throws PduException {
            need(1);
            return b[pos++] & 0xFF;
        }

        int u16() throws PduException {
            need(2);
            int v = ((b[pos] & 0xFF) << 8) | (b[pos + 1] & 0xFF);
            pos += 2;
            return v;
        }

        long u32() throws PduException {
            need(4);
            long v = ((long) (b[pos] & 0xFF) << 24) | ((b[pos + 1] & 0xFF) << 16) | ((b[pos + 2] & 0xFF) << 8)
                    | (b[pos + 3] & 0xFF);
            pos += 4;
            return v;
        }

        byte[] bytes(int n) throws PduException {
            need(n);
            byte[] r = Arrays.copyOfRange(b, pos, pos + n);
            pos += n;
            return r;
        }

        /** A UID or short text value; trailing NUL and space padding is dropped (PS3.8 Annex F tolerance). */
        String uid(int n) throws PduException {
            need(n);
            int e = pos + n;
            while (e > pos && (b[e - 1] == 0 || b[e - 1] == ' ')) {
                e--;
            }
            int s = pos;
            while (s < e && b[s] == ' ') {
                s++;
            }
            String v = new String(b, s, e - s, StandardCharsets.ISO_8859_1);
            pos += n;
            return v;
        }

        String ae() throws PduException {
            need(16);
            String v = new String(b, pos, 16, StandardCharsets.ISO_8859_1).strip();
            pos += 16;
            return v;
        }
    }
}
