package org.mosaicpacs.transcoder.internal;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiPredicate;

import org.mosaicpacs.api.codec.CodecRegistry;
import org.mosaicpacs.api.codec.ImageDescriptor;
import org.mosaicpacs.api.codec.TransferSyntaxCodec;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TransferSyntaxCodec} whiteboard as a {@link CodecRegistry}. Every lookup looks at the
 * codecs registered at that moment and takes the highest {@code service.ranking}, then the lowest
 * {@code service.id} (the OSGi service ordering), among those that handle the syntax and accept
 * the image. A codec returned to a caller stays a plain object in its hands: an operation in
 * flight finishes with it even if its bundle is stopped meanwhile; the next lookup no longer sees it.
 *
 * <p>State is a concurrent map keyed by {@link ServiceReference}, so binding, updating and
 * unbinding (dynamic, greedy) never block or disturb lookups on other threads.
 */
@Component(service = CodecRegistry.class)
public final class CodecRegistryComponent implements CodecRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(CodecRegistryComponent.class);

    /** Highest ranking first, then lowest service id: the order of ServiceReference.compareTo, reversed. */
    private static final Comparator<Registration> PREFERENCE = Comparator
            .comparingInt(Registration::ranking).reversed()
            .thenComparingLong(Registration::serviceId);

    /** A codec service as registered: what its properties said when it was bound or last modified. */
    record Registration(TransferSyntaxCodec codec, int ranking, long serviceId, Set<String> transferSyntaxes) {
    }

    private final Map<Object, Registration> codecs = new ConcurrentHashMap<>();

    @Reference(service = TransferSyntaxCodec.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindCodec(ServiceReference<TransferSyntaxCodec> reference, TransferSyntaxCodec codec,
                   Map<String, Object> properties) {
        add(reference, codec, properties);
    }

    void updatedCodec(ServiceReference<TransferSyntaxCodec> reference, Map<String, Object> properties) {
        update(reference, properties);
    }

    void unbindCodec(ServiceReference<TransferSyntaxCodec> reference) {
        remove(reference);
    }

    /** Adds or replaces the codec registered under {@code key} (a ServiceReference, or anything in tests). */
    void add(Object key, TransferSyntaxCodec codec, Map<String, Object> properties) {
        Registration r = registration(codec, properties);
        if (r.transferSyntaxes().isEmpty()) {
            LOG.warn("Codec {} (service.id {}) names no transfer syntax in {}: ignored", codec.getClass().getName(),
                    r.serviceId(), TransferSyntaxCodec.TRANSFER_SYNTAX_PROPERTY);
        }
        codecs.put(key, r);
        LOG.info("Codec {} registered for {} (ranking {})", codec.getClass().getName(), r.transferSyntaxes(),
                r.ranking());
    }

    /** New service properties (ranking, syntaxes) for the codec registered under {@code key}. */
    void update(Object key, Map<String, Object> properties) {
        codecs.computeIfPresent(key, (k, old) -> registration(old.codec(), properties));
    }

    /** Removes by identity of the key: a codec that was never added is ignored. */
    void remove(Object key) {
        Registration r = codecs.remove(key);
        if (r != null) {
            LOG.info("Codec {} for {} unregistered", r.codec().getClass().getName(), r.transferSyntaxes());
        }
    }

    private static Registration registration(TransferSyntaxCodec codec, Map<String, Object> properties) {
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        Object id = properties.get(Constants.SERVICE_ID);
        return new Registration(codec, ranking instanceof Integer i ? i : 0, id instanceof Long l ? l : Long.MAX_VALUE,
                syntaxes(properties.get(TransferSyntaxCodec.TRANSFER_SYNTAX_PROPERTY)));
    }

    /** The property may be a String, a String[] or a Collection (OSGi Core 5.2.5 service properties). */
    private static Set<String> syntaxes(Object value) {
        Set<String> uids = new TreeSet<>();
        if (value instanceof String s) {
            uids.add(s.strip());
        } else if (value instanceof String[] a) {
            for (String s : a) {
                uids.add(s.strip());
            }
        } else if (value instanceof Collection<?> c) {
            c.forEach(s -> uids.add(String.valueOf(s).strip()));
        }
        return Set.copyOf(uids);
    }

    @Override
    public Optional<TransferSyntaxCodec> decoderFor(String transferSyntaxUid, ImageDescriptor image) {
        return select(transferSyntaxUid, image, "decode", (codec, ts) -> codec.canDecode(ts, image));
    }

    @Override
    public Optional<TransferSyntaxCodec> encoderFor(String transferSyntaxUid, ImageDescriptor image) {
        return select(transferSyntaxUid, image, "encode", (codec, ts) -> codec.canEncode(ts, image));
    }

    private Optional<TransferSyntaxCodec> select(String transferSyntaxUid, ImageDescriptor image, String what,
                                                 BiPredicate<TransferSyntaxCodec, String> able) {
        String ts = transferSyntaxUid.strip();
        List<Registration> candidates = codecs.values().stream()
                .filter(r -> r.transferSyntaxes().contains(ts))
                .sorted(PREFERENCE)
                .toList();
        for (Registration r : candidates) {
            try {
                if (able.test(r.codec(), ts)) {
                    return Optional.of(r.codec());
                }
            } catch (RuntimeException e) {
                // A plugin's canDecode/canEncode must not break the lookup for the others.
                LOG.warn("Codec {} failed to say whether it can {} {} {}: {}", r.codec().getClass().getName(), what,
                        ts, image, e.toString());
            }
        }
        return Optional.empty();
    }

    @Override
    public Set<String> transferSyntaxes() {
        Set<String> all = new TreeSet<>();
        codecs.values().forEach(r -> all.addAll(r.transferSyntaxes()));
        return Set.copyOf(all);
    }
}
