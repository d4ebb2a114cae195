package org.mosaicpacs.storage.fs.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class AlignedBufferPoolTest {

    /** The buffer released last is the one still in the CPU's cache: it is handed out first. */
    @Test
    void theBufferReleasedLastIsAcquiredFirst() {
        AlignedBufferPool pool = new AlignedBufferPool(4096, 8192, 4);
        ByteBuffer first = pool.acquire();
        ByteBuffer second = pool.acquire();
        pool.release(first);
        pool.release(second);
        assertThat(pool.acquire()).isSameAs(second);
        assertThat(pool.acquire()).isSameAs(first);
    }

    @Test
    void keepsNoMoreThanItsLimitAndHandsOutClearedBuffersOfItsSize() {
        AlignedBufferPool pool = new AlignedBufferPool(4096, 8192, 2);
        List<ByteBuffer> taken = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ByteBuffer b = pool.acquire();
            b.put(new byte[100]);
            taken.add(b);
        }
        taken.forEach(pool::release); // the third finds the pool full and is dropped
        ByteBuffer a = pool.acquire();
        ByteBuffer b = pool.acquire();
        ByteBuffer c = pool.acquire();
        assertThat(a).isSameAs(taken.get(1));
        assertThat(b).isSameAs(taken.get(0));
        assertThat(taken).as("the dropped buffer is not kept").noneMatch(t -> t == c); // identity: equals compares contents
        for (ByteBuffer x : List.of(a, b, c)) {
            assertThat(x.isDirect()).isTrue();
            assertThat(x.position()).isZero();
            assertThat(x.capacity()).isEqualTo(8192);
            assertThat(x.limit()).isEqualTo(8192);
        }
        assertThat(pool.roundUp(1)).isEqualTo(4096);
        assertThat(pool.roundUp(4096)).isEqualTo(4096);
        assertThat(pool.roundUp(4097)).isEqualTo(8192);
    }

    @Test
    void aSizeThatIsNotAMultipleOfTheAlignmentIsRefused() {
        assertThatThrownBy(() -> new AlignedBufferPool(4096, 5000, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a multiple");
    }
}
