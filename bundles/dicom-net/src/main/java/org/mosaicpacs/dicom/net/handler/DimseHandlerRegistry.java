package org.mosaicpacs.dicom.net.handler;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.mosaicpacs.dicom.UID;

/**
 * The handlers an association can use right now, looked up by SOP class at negotiation time and
 * again for every request (a handler unregistered since sees its requests refused with
 * {@link org.mosaicpacs.dicom.net.Status#SOP_CLASS_NOT_SUPPORTED}).
 *
 * <p>The OSGi acceptor implements it from the whiteboard; plain Java code uses {@link #of(Map)}.
 * Implementations must be thread-safe.
 */
public interface DimseHandlerRegistry {

    /** The uncompressed transfer syntaxes every node supports, in our order of preference. */
    List<String> UNCOMPRESSED = List.of(UID.ExplicitVRLittleEndian, UID.ImplicitVRLittleEndian,
            UID.DeflatedExplicitVRLittleEndian, UID.ExplicitVRBigEndian);

    /** The handler for requests on this SOP class, if one is registered. */
    Optional<DimseHandler> handler(String sopClassUid);

    /**
     * The transfer syntaxes acceptable for this SOP class. A proposed presentation context is
     * accepted with the first of its transfer syntaxes (in the proposer's order) in this set.
     */
    Set<String> transferSyntaxes(String sopClassUid);

    /** A fixed registry: each SOP class to its handler, with the uncompressed transfer syntaxes. */
    static DimseHandlerRegistry of(Map<String, DimseHandler> handlers) {
        Map<String, DimseHandler> copy = Map.copyOf(handlers);
        Set<String> syntaxes = new LinkedHashSet<>(UNCOMPRESSED);
        return new DimseHandlerRegistry() {
            @Override
            public Optional<DimseHandler> handler(String sopClassUid) {
                return Optional.ofNullable(copy.get(sopClassUid));
            }

            @Override
            public Set<String> transferSyntaxes(String sopClassUid) {
                return copy.containsKey(sopClassUid) ? syntaxes : Set.of();
            }
        };
    }

    /** A registry with no handlers (an SCU that receives nothing). */
    static DimseHandlerRegistry empty() {
        return of(Map.of());
    }
}
