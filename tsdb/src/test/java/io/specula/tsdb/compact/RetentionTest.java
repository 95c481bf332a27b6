package io.specula.tsdb.compact;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.tsdb.compact.Retention.SizedBlock;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static final long H = 3_600_000L;
    private static final List<SizedBlock> BLOCKS = List.of(
            new SizedBlock("old", 2 * H, 100), new SizedBlock("mid", 20 * H, 100), new SizedBlock("new", 40 * H, 100));

    @Test
    void deletable_byTime_relativeToNewestBlock() {
        assertThat(Retention.deletable(BLOCKS, 30 * H, 0, 0)).containsExactly("old");
        assertThat(Retention.deletable(BLOCKS, 15 * H, 0, 0)).containsExactly("mid", "old");
        assertThat(Retention.deletable(BLOCKS, 100 * H, 0, 0)).isEmpty();
        assertThat(Retention.deletable(BLOCKS, 0, 0, 0)).isEmpty();
    }

    @Test
    void deletable_bySize_countsHeadAndDropsOldestFirst() {
        assertThat(Retention.deletable(BLOCKS, 0, 300, 0)).isEmpty();
        assertThat(Retention.deletable(BLOCKS, 0, 300, 1)).containsExactly("old");
        assertThat(Retention.deletable(BLOCKS, 0, 150, 0)).containsExactly("mid", "old");
        assertThat(Retention.deletable(BLOCKS, 0, 50, 0)).containsExactly("new", "mid", "old");
    }

    @Test
    void deletable_bothLimits_takesTheStricter() {
        assertThat(Retention.deletable(BLOCKS, 30 * H, 150, 0)).containsExactly("mid", "old");
    }
}
