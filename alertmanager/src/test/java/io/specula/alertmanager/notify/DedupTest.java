package io.specula.alertmanager.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.alertmanager.nflog.NotificationLog;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DedupTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration REPEAT = Duration.ofHours(4);

    private static NotificationLog.Entry entry(Set<Long> firing, Set<Long> resolved, Duration ago) {
        return new NotificationLog.Entry(firing, resolved, NOW.minus(ago), NOW.plusSeconds(3600));
    }

    @Test
    void needsUpdate_followsAlertmanagersRules() {
        // Never notified: only when something fires.
        assertThat(NotificationPipeline.needsUpdate(null, Set.of(1L), Set.of(), true, REPEAT, NOW)).isTrue();
        assertThat(NotificationPipeline.needsUpdate(null, Set.of(), Set.of(1L), true, REPEAT, NOW)).isFalse();
        var e = entry(Set.of(1L, 2L), Set.of(), Duration.ofMinutes(5));
        // Nothing new before the repeat interval.
        assertThat(NotificationPipeline.needsUpdate(e, Set.of(1L, 2L), Set.of(), true, REPEAT, NOW)).isFalse();
        // A new firing alert.
        assertThat(NotificationPipeline.needsUpdate(e, Set.of(1L, 3L), Set.of(), true, REPEAT, NOW)).isTrue();
        // Fewer firing: a subset, nothing new unless resolved ones are wanted.
        assertThat(NotificationPipeline.needsUpdate(e, Set.of(1L), Set.of(2L), false, REPEAT, NOW)).isFalse();
        assertThat(NotificationPipeline.needsUpdate(e, Set.of(1L), Set.of(2L), true, REPEAT, NOW)).isTrue();
        // All resolved: always, so the log forgets the firing set.
        assertThat(NotificationPipeline.needsUpdate(e, Set.of(), Set.of(1L, 2L), false, REPEAT, NOW)).isTrue();
        // Fired and resolved between notifications the receiver never saw.
        var empty = entry(Set.of(), Set.of(9L), Duration.ofMinutes(5));
        assertThat(NotificationPipeline.needsUpdate(empty, Set.of(), Set.of(1L), true, REPEAT, NOW)).isFalse();
        // Repeat interval passed.
        var old = entry(Set.of(1L), Set.of(), Duration.ofHours(5));
        assertThat(NotificationPipeline.needsUpdate(old, Set.of(1L), Set.of(), true, REPEAT, NOW)).isTrue();
    }
}
