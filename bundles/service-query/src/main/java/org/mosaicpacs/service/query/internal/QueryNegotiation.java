package org.mosaicpacs.service.query.internal;

import org.mosaicpacs.dicom.net.Association;
import org.mosaicpacs.dicom.net.ExtendedNegotiation;

/**
 * The C-FIND options of SOP Class Extended Negotiation (PS3.4 C.5.1.1, PS3.7 D.3.3.5): what the
 * requestor asked for and what this SCP answered, byte by byte.
 *
 * @param relational        byte 1: relational queries (PS3.4 C.4.1.2.2.2)
 * @param combinedDateTime  byte 2: combined date and time range matching (PS3.4 C.2.2.2.5)
 * @param fuzzyPersonNames  byte 3: fuzzy semantic matching of person names (PS3.4 C.2.2.2.1)
 */
record QueryNegotiation(boolean relational, boolean combinedDateTime, boolean fuzzyPersonNames) {

    static final QueryNegotiation NONE = new QueryNegotiation(false, false, false);

    /**
     * The acceptor's reply to a proposal, as long as the proposal (PS3.4 C.5.1.1.2): bytes 1 to 3
     * are 1 where requested (byte 1 only if relational queries are allowed); byte 4 (timezone
     * query adjustment) and any later byte are 0: not performed.
     *
     * @param relationalAllowed whether this node performs relational queries
     */
    static byte[] reply(byte[] requested, boolean relationalAllowed) {
        byte[] reply = new byte[Math.max(1, requested.length)];
        reply[0] = (byte) (relationalAllowed && byteAt(requested, 0) == 1 ? 1 : 0);
        for (int i = 1; i < Math.min(3, reply.length); i++) {
            reply[i] = (byte) (byteAt(requested, i) == 1 ? 1 : 0);
        }
        return reply;
    }

    /** The options in force on an association for a SOP class: those our A-ASSOCIATE-AC accepted. */
    static QueryNegotiation accepted(Association association, String sopClassUid) {
        return association.accept().userInformation().extendedNegotiation(sopClassUid)
                .map(QueryNegotiation::of).orElse(NONE);
    }

    private static QueryNegotiation of(ExtendedNegotiation reply) {
        return new QueryNegotiation(reply.byteAt(0) == 1, reply.byteAt(1) == 1, reply.byteAt(2) == 1);
    }

    private static int byteAt(byte[] b, int i) {
        return i < b.length ? b[i] & 0xFF : 0;
    }
}
