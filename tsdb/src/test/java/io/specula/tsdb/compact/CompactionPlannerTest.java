package io.specula.tsdb.compact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompactionPlannerTest {
    private static final long H = 3_600_000L;
    private final CompactionPlanner planner = new CompactionPlanner(new long[] {2 * H, 6 * H, 18 * H});

    private static PlannedBlock b(String id, long minH, long maxH) {
        return new PlannedBlock(id, minH * H, maxH * H, 100, 0, false);
    }

    @Test
    void plan_nothingWhileNextRangeIsNotFull() {
        assertThat(planner.plan(List.of())).isEmpty();
        assertThat(planner.plan(List.of(b("a", 0, 2)))).isEmpty();
        assertThat(planner.plan(List.of(b("a", 0, 2), b("b", 2, 4), b("c", 4, 6)))).isEmpty(); // newest left out
    }

    @Test
    void plan_mergesThreeTwoHourBlocksOnceAFourthExists() {
        assertThat(planner.plan(List.of(b("d", 6, 8), b("a", 0, 2), b("c", 4, 6), b("b", 2, 4))))
                .containsExactly("a", "b", "c");
    }

    @Test
    void plan_mergesIncompleteGroupWhollyBeforeNewerData() {
        // A gap: blocks 0-2h and 2-4h can no longer be joined by a 4-6h block, since 6-8h exists.
        assertThat(planner.plan(List.of(b("a", 0, 2), b("b", 2, 4), b("c", 6, 8), b("d", 8, 10))))
                .containsExactly("a", "b");
    }

    @Test
    void plan_climbsLevels() {
        List<PlannedBlock> blocks = new ArrayList<>(List.of(b("x", 0, 6), b("y", 6, 12), b("z", 12, 18)));
        blocks.add(b("n", 18, 20));
        assertThat(planner.plan(blocks)).containsExactly("x", "y", "z");
    }

    @Test
    void plan_overlappingBlocksFirst() {
        assertThat(planner.plan(List.of(b("a", 0, 2), b("b", 1, 3), b("c", 4, 6), b("d", 5, 7))))
                .containsExactly("a", "b");
        assertThat(planner.plan(List.of(b("a", 0, 10), b("b", 2, 4), b("c", 5, 6), b("d", 12, 14))))
                .containsExactly("a", "b", "c");
    }

    @Test
    void plan_skipsGroupsWithFailedCompaction() {
        PlannedBlock failed = new PlannedBlock("b", 2 * H, 4 * H, 100, 0, true);
        assertThat(planner.plan(List.of(b("a", 0, 2), failed, b("c", 4, 6), b("d", 6, 8)))).isEmpty();
    }

    @Test
    void plan_rewritesLargeBlockWithManyTombstones() {
        PlannedBlock big = new PlannedBlock("big", 0, 18 * H, 1000, 60, false);
        assertThat(planner.plan(List.of(big, b("n", 18, 20)))).containsExactly("big");
        PlannedBlock fewDeletes = new PlannedBlock("big", 0, 18 * H, 1000, 10, false);
        assertThat(planner.plan(List.of(fewDeletes, b("n", 18, 20)))).isEmpty();
        PlannedBlock smallAllDeleted = new PlannedBlock("s", 0, 2 * H, 5, 5, false);
        assertThat(planner.plan(List.of(smallAllDeleted, b("n", 18, 20)))).containsExactly("s");
    }

    @Test
    void exponentialRanges_stopAtMaxBlockDuration() {
        assertThat(CompactionPlanner.exponentialRanges(2 * H, 31 * 24 * H))
                .containsExactly(2 * H, 6 * H, 18 * H, 54 * H, 162 * H, 486 * H);
        assertThat(CompactionPlanner.exponentialRanges(2 * H, 36 * H)).containsExactly(2 * H, 6 * H, 18 * H); // 15d retention / 10
        assertThat(CompactionPlanner.exponentialRanges(2 * H, H)).containsExactly(2 * H);
    }

    @Test
    void constructor_rejectsUnorderedRanges() {
        assertThatThrownBy(() -> new CompactionPlanner(new long[] {6 * H, 2 * H})).hasMessageContaining("must increase");
    }
}
