package io.specula.incident;

import io.specula.model.labels.Labels;
import java.util.List;

/**
 * A snapshot of one incident for the API: its alerts, the entities they are on, the probable
 * root cause with the path to it from the topmost symptom and the evidence of every hop, and a
 * timeline. Times are Unix ms (0 when not set). Immutable.
 *
 * @param state {@code open} while an alert of it is pending or firing, else {@code resolved} (an
 *     alert of it that fires again within the rejoin window re-opens it)
 * @param resolvedMs when it closed for good (the rejoin window passed), 0 before
 */
public record Incident(String id, String state, long startedMs, long lastActiveMs, long resolvedMs,
        List<Member> members, List<Entity> entities, RootCause rootCause, List<Hop> path, String explanation,
        String summary, List<Event> timeline) {

    /** One alert of the incident. {@code state} is {@code pending}, {@code firing} or {@code resolved}. */
    public record Member(Labels labels, Entity entity, String state, long activeAtMs, long firedAtMs,
            long resolvedAtMs, long joinedAtMs) {
        public String alertname() {
            return labels.get("alertname");
        }
    }

    /**
     * The probable root cause: the deepest unhealthy entity beneath the symptoms.
     *
     * @param text how annotations name it, e.g. {@code NodeMemoryExhausted on node node-1}
     * @param namedAtMs when this cause was first named for the incident
     */
    public record RootCause(Entity entity, String text, List<Evidence> evidence, long namedAtMs) {}

    /**
     * One step of the path from the symptom down to the cause.
     *
     * @param via why the previous hop depends on this one (empty for the first hop)
     * @param parallel other unhealthy entities of the same kind at this step (the other pods of a workload)
     */
    public record Hop(Entity entity, String via, List<Evidence> evidence, List<Entity> parallel) {}

    /** Something that happened: an alert changed state, or the root cause was named. */
    public record Event(long timeMs, String type, String alertname, Labels labels, Entity entity, String text) {}
}
