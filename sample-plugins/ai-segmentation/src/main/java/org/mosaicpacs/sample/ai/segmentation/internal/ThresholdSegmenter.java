package org.mosaicpacs.sample.ai.segmentation.internal;

import java.util.BitSet;

/**
 * Threshold plus 3D connected components (6-connectivity) on a {@link CtVolume}:
 * <ul>
 * <li>air-filled lung: voxels at or below {@code lungMaxHu}, minus every component that touches
 *     the in-plane border of the volume (the air around the patient and outside the scan field);</li>
 * <li>bone: voxels at or above {@code boneMinHu};</li>
 * </ul>
 * and in both, components smaller than {@code minComponentMm3} are dropped as noise.
 *
 * <p>Memory: a few bit sets of one bit per voxel and a queue of at most one component's voxels.
 */
final class ThresholdSegmenter {

    /** The segmentation parameters. */
    record Parameters(int lungMaxHu, int boneMinHu, double minComponentMm3) {
    }

    /** A segment's voxels and how many components make it up. */
    record Mask(BitSet voxels, int components) {
        long count() {
            return voxels.cardinality();
        }
    }

    private final Parameters parameters;

    ThresholdSegmenter(Parameters parameters) {
        this.parameters = parameters;
    }

    Mask lung(CtVolume v) throws InterruptedException {
        BitSet air = threshold(v, Short.MIN_VALUE, parameters.lungMaxHu());
        return components(v, air, true);
    }

    Mask bone(CtVolume v) throws InterruptedException {
        BitSet dense = threshold(v, parameters.boneMinHu(), Short.MAX_VALUE);
        return components(v, dense, false);
    }

    private static BitSet threshold(CtVolume v, int min, int max) {
        int plane = v.rows * v.columns;
        BitSet mask = new BitSet(v.voxels());
        for (int z = 0; z < v.slices.size(); z++) {
            short[] hu = v.slices.get(z).hu();
            for (int i = 0; i < plane; i++) {
                if (hu[i] >= min && hu[i] <= max) {
                    mask.set(z * plane + i);
                }
            }
        }
        return mask;
    }

    /** Keeps the components of {@code mask} that are large enough (and, if asked, away from the in-plane border). */
    private Mask components(CtVolume v, BitSet mask, boolean dropBorderTouching) throws InterruptedException {
        int columns = v.columns;
        int rows = v.rows;
        int plane = rows * columns;
        int slices = v.slices.size();
        long minVoxels = (long) Math.ceil(parameters.minComponentMm3() / v.voxelVolumeMm3());
        BitSet visited = new BitSet(v.voxels());
        BitSet kept = new BitSet(v.voxels());
        int[] queue = new int[1024];
        int components = 0;
        for (int seed = mask.nextSetBit(0); seed >= 0; seed = mask.nextSetBit(seed + 1)) {
            if (visited.get(seed)) {
                continue;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException("segmenting");
            }
            // breadth-first flood fill of one component; the queue doubles as its voxel list
            int head = 0;
            int tail = 0;
            queue[tail++] = seed;
            visited.set(seed);
            boolean touchesBorder = false;
            while (head < tail) {
                int p = queue[head++];
                int z = p / plane;
                int rest = p - z * plane;
                int y = rest / columns;
                int x = rest - y * columns;
                if (x == 0 || y == 0 || x == columns - 1 || y == rows - 1) {
                    touchesBorder = true;
                }
                int[] neighbours = {
                    x > 0 ? p - 1 : -1, x < columns - 1 ? p + 1 : -1,
                    y > 0 ? p - columns : -1, y < rows - 1 ? p + columns : -1,
                    z > 0 ? p - plane : -1, z < slices - 1 ? p + plane : -1};
                for (int n : neighbours) {
                    if (n >= 0 && mask.get(n) && !visited.get(n)) {
                        visited.set(n);
                        if (tail == queue.length) {
                            queue = java.util.Arrays.copyOf(queue, queue.length * 2);
                        }
                        queue[tail++] = n;
                    }
                }
            }
            if (tail >= minVoxels && !(dropBorderTouching && touchesBorder)) {
                components++;
                for (int i = 0; i < tail; i++) {
                    kept.set(queue[i]);
                }
            }
        }
        return new Mask(kept, components);
    }
}
