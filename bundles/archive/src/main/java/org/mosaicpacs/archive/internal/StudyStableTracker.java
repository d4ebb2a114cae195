package org.mosaicpacs.archive.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Announces a study as stable when no instance arrived for it during the configured time.
 *
 * <p>State is in memory on the node that received the instances: a restart during the quiet
 * period loses the pending announcement, and with several nodes each announces the instances it
 * received. Both are acceptable for triggers that are idempotent (AI jobs are keyed by study).
 */
final class StudyStableTracker {

    /** What is known of a study when it becomes stable. */
    record StableStudy(String studyInstanceUid, Set<String> modalities, int instanceCount, String lastCallingAe) {
    }

    private final ScheduledExecutorService scheduler;
    private final long quietMillis;
    private final Consumer<StableStudy> onStable;
    private final Map<String, Pending> pending = new ConcurrentHashMap<>();

    private static final class Pending {
        final Set<String> modalities = new TreeSet<>();
        int instanceCount;
        String lastCallingAe;
        ScheduledFuture<?> timer;
    }

    StudyStableTracker(ScheduledExecutorService scheduler, long quietMillis, Consumer<StableStudy> onStable) {
        this.scheduler = scheduler;
        this.quietMillis = quietMillis;
        this.onStable = onStable;
    }

    /** An instance of the study arrived: (re)start its quiet period. */
    void instanceStored(String studyUid, String modality, int studyInstanceCount, String callingAe) {
        pending.compute(studyUid, (uid, p) -> {
            Pending state = p != null ? p : new Pending();
            if (state.timer != null) {
                state.timer.cancel(false);
            }
            if (modality != null && !modality.isBlank()) {
                state.modalities.add(modality);
            }
            state.instanceCount = Math.max(state.instanceCount, studyInstanceCount);
            if (callingAe != null) {
                state.lastCallingAe = callingAe;
            }
            state.timer = scheduler.schedule(() -> fire(uid), quietMillis, TimeUnit.MILLISECONDS);
            return state;
        });
    }

    private void fire(String studyUid) {
        Pending[] fired = new Pending[1];
        pending.computeIfPresent(studyUid, (uid, p) -> {
            if (p.timer != null && p.timer.getDelay(TimeUnit.MILLISECONDS) > 0) {
                return p; // re-armed meanwhile
            }
            fired[0] = p;
            return null;
        });
        if (fired[0] != null) {
            onStable.accept(new StableStudy(studyUid, Set.copyOf(fired[0].modalities), fired[0].instanceCount,
                    fired[0].lastCallingAe));
        }
    }

    /** The study was deleted: it is not announced stable. */
    void forget(String studyUid) {
        Pending p = pending.remove(studyUid);
        if (p != null && p.timer != null) {
            p.timer.cancel(false);
        }
    }

    /** Studies waiting for their quiet period to end. */
    int pendingCount() {
        return pending.size();
    }
}
