package org.mosaicpacs.service.retrieve.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mosaicpacs.api.index.InstanceRecord;
import org.mosaicpacs.dicom.UID;
import org.mosaicpacs.dicom.net.AAssociateRq;

/**
 * The associations a C-MOVE opens to its destination: for each SOP class among the instances a
 * presentation context with Explicit and Implicit VR Little Endian (which every Storage SCP
 * accepts, PS3.5 10.1) and one per other stored transfer syntax, so that the destination can take
 * the objects as stored. PS3.8 allows 128 contexts per association: beyond that the instances are
 * split over several associations by SOP class, one after the other.
 *
 * @param request   the A-ASSOCIATE-RQ
 * @param instances the instances sent on it, in retrieve order
 */
record MoveAssociations(AAssociateRq request, List<InstanceRecord> instances) {

    static final int MAX_CONTEXTS = 128;
    private static final List<String> UNCOMPRESSED = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian);

    /** Plans the associations from {@code callingAeTitle} to {@code calledAeTitle} for these instances. */
    static List<MoveAssociations> plan(String calledAeTitle, String callingAeTitle, List<InstanceRecord> instances) {
        Map<String, Set<String>> syntaxes = new LinkedHashMap<>();
        for (InstanceRecord r : instances) {
            Set<String> s = syntaxes.computeIfAbsent(r.sopClassUid(), k -> new LinkedHashSet<>(UNCOMPRESSED));
            s.add(r.transferSyntaxUid());
        }
        List<List<String>> groups = new ArrayList<>();
        List<String> group = new ArrayList<>();
        int contexts = 0;
        for (Map.Entry<String, Set<String>> e : syntaxes.entrySet()) {
            int needed = contexts(e.getValue());
            if (!group.isEmpty() && contexts + needed > MAX_CONTEXTS) {
                groups.add(group);
                group = new ArrayList<>();
                contexts = 0;
            }
            group.add(e.getKey());
            contexts += needed;
        }
        if (!group.isEmpty()) {
            groups.add(group);
        }
        List<MoveAssociations> plans = new ArrayList<>();
        for (List<String> sopClasses : groups) {
            AAssociateRq.Builder rq = AAssociateRq.builder(calledAeTitle, callingAeTitle);
            for (String sopClass : sopClasses) {
                rq.presentationContext(sopClass, UNCOMPRESSED);
                for (String ts : syntaxes.get(sopClass)) {
                    if (!UNCOMPRESSED.contains(ts)) {
                        rq.presentationContext(sopClass, ts);
                    }
                }
            }
            plans.add(new MoveAssociations(rq.build(),
                    instances.stream().filter(r -> sopClasses.contains(r.sopClassUid())).toList()));
        }
        return plans;
    }

    private static int contexts(Set<String> syntaxes) {
        return 1 + (int) syntaxes.stream().filter(ts -> !UNCOMPRESSED.contains(ts)).count();
    }
}
