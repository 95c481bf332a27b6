package io.specula.alertmanager.silence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.specula.alertmanager.persist.StateFile;
import io.specula.model.labels.Labels;
import io.specula.model.labels.Matcher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SilencesTest {
    @TempDir
    Path dir;

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));

    private Silences silences() {
        return new Silences(now::get, Duration.ofHours(1), new StateFile(dir.resolve("silences.json")));
    }

    private Silence silence(String id, Instant start, Instant end, Matcher... ms) {
        return new Silence(id, List.of(ms), start, end, now.get(), "me", "c");
    }

    @Test
    void set_statesFollowTheClock() throws Exception {
        Silences s = silences();
        Instant t = now.get();
        String id = s.set(silence(null, t.plusSeconds(60), t.plusSeconds(120), Matcher.equal("a", "b")));
        assertThat(s.get(id).stateAt(t)).isEqualTo(SilenceState.PENDING);
        assertThat(s.mutes(Labels.of("a", "b"))).isEmpty();
        now.set(t.plusSeconds(61));
        assertThat(s.mutes(Labels.of("a", "b", "c", "d"))).containsExactly(id);
        assertThat(s.mutes(Labels.of("a", "x"))).isEmpty();
        now.set(t.plusSeconds(121));
        assertThat(s.get(id).stateAt(now.get())).isEqualTo(SilenceState.EXPIRED);
        // Garbage collected once expired for longer than the retention.
        now.set(t.plusSeconds(121 + 3601));
        assertThat(s.gc()).isEqualTo(1);
    }

    @Test
    void set_refusesSilencesMatchingEverything() {
        Instant t = now.get();
        assertThatThrownBy(() -> silences().set(silence(null, t, t.plusSeconds(60), Matcher.of(
                io.specula.model.labels.MatchType.REGEX, "a", ".*"))))
                .hasMessageContaining("at least one matcher must not match the empty string");
        assertThatThrownBy(() -> silences().set(silence(null, t, t.plusSeconds(60))))
                .hasMessageContaining("at least one matcher required");
        assertThatThrownBy(() -> silences().set(silence(null, t.plusSeconds(60), t, Matcher.equal("a", "b"))))
                .hasMessageContaining("end time must not be before start time");
    }

    @Test
    void set_updatesInPlaceOrReplaces() throws Exception {
        Silences s = silences();
        Instant t = now.get();
        String id = s.set(silence(null, t, t.plusSeconds(60), Matcher.equal("a", "b")));
        Silence cur = s.get(id);
        // Extending an active silence keeps its id.
        assertThat(s.set(silence(id, cur.startsAt(), t.plusSeconds(120), Matcher.equal("a", "b")))).isEqualTo(id);
        // Other matchers: the old one expires and a new one takes over.
        String other = s.set(silence(id, cur.startsAt(), t.plusSeconds(120), Matcher.equal("a", "c")));
        assertThat(other).isNotEqualTo(id);
        now.set(t.plusSeconds(1));
        assertThat(s.get(id).stateAt(now.get())).isEqualTo(SilenceState.EXPIRED);
        assertThatThrownBy(() -> s.set(silence("nope", t, t.plusSeconds(9), Matcher.equal("a", "b"))))
                .isInstanceOfSatisfying(SilenceException.class, e -> assertThat(e.notFound()).isTrue());
    }

    @Test
    void snapshot_survivesRestartAndCorruptionIsSetAside() throws Exception {
        Silences s = silences();
        Instant t = now.get();
        String id = s.set(silence(null, t, t.plusSeconds(60), Matcher.equal("a", "b")));
        // Written at once, without an explicit snapshot: survives a kill -9.
        assertThat(silences().get(id)).isEqualTo(s.get(id));
        Files.writeString(dir.resolve("silences.json"), "{not json");
        Silences fresh = silences();
        assertThat(fresh.size()).isZero();
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("silences.json.corrupt-"));
        }
    }
}
