package io.specula.web.api;

import io.specula.incident.Entity;
import io.specula.incident.Evidence;
import io.specula.incident.Incident;
import io.specula.incident.IncidentManager;
import io.specula.model.value.GoTime;
import io.specula.web.ServerContext;
import java.util.List;

/**
 * {@code /api/v1/incidents} (every open and recently resolved incident; {@code state=open|resolved}
 * filters) and {@code /api/v1/incidents/<id>} (one, with its timeline): Specula's own endpoints,
 * in Prometheus's envelope and conventions (RFC 3339 times, sample values as strings). Thread-safe.
 */
final class IncidentsApi {
    private final ServerContext ctx;

    IncidentsApi(ServerContext ctx) {
        this.ctx = ctx;
    }

    Reply list(Params p) throws ApiException {
        String state = p.get("state");
        if (state != null && !state.isEmpty() && !state.equals("open") && !state.equals("resolved")) {
            throw new ApiException(ApiException.Type.BAD_DATA, "invalid state \"" + state + "\": want open or resolved");
        }
        IncidentManager m = ctx.incidents();
        List<Incident> all = m == null ? List.of() : m.incidents();
        return Reply.of(j -> {
            j.beginObject().name("incidents").beginArray();
            for (Incident i : all) {
                if (state == null || state.isEmpty() || state.equals(i.state())) {
                    write(j, i, false);
                }
            }
            j.endArray().endObject();
        });
    }

    Reply get(String id) throws ApiException {
        IncidentManager m = ctx.incidents();
        Incident i = m == null ? null : m.incident(id);
        if (i == null) {
            throw new ApiException(ApiException.Type.NOT_FOUND, "incident \"" + id + "\" not found");
        }
        return Reply.of(j -> write(j, i, true));
    }

    private static void write(Json j, Incident i, boolean timeline) {
        int active = 0;
        for (Incident.Member m : i.members()) {
            active += m.state().equals("resolved") ? 0 : 1;
        }
        j.beginObject().name("id").value(i.id()).name("state").value(i.state())
                .name("startsAt").value(GoTime.rfc3339Nano(i.startedMs()))
                .name("lastActiveAt").value(GoTime.rfc3339Nano(i.lastActiveMs()));
        if (i.resolvedMs() != 0) {
            j.name("resolvedAt").value(GoTime.rfc3339Nano(i.resolvedMs()));
        }
        j.name("alertCount").value(i.members().size()).name("activeAlertCount").value(active)
                .name("summary").value(i.summary()).name("explanation").value(i.explanation());
        j.name("rootCause");
        if (i.rootCause() == null) {
            j.nullValue();
        } else {
            j.beginObject().name("entity");
            entity(j, i.rootCause().entity());
            j.name("text").value(i.rootCause().text())
                    .name("namedAt").value(GoTime.rfc3339Nano(i.rootCause().namedAtMs()))
                    .name("evidence");
            evidence(j, i.rootCause().evidence());
            j.endObject();
        }
        j.name("path").beginArray();
        for (Incident.Hop h : i.path()) {
            j.beginObject().name("entity");
            entity(j, h.entity());
            j.name("via").value(h.via()).name("evidence");
            evidence(j, h.evidence());
            j.name("parallel").beginArray();
            for (Entity e : h.parallel()) {
                entity(j, e);
            }
            j.endArray().endObject();
        }
        j.endArray().name("entities").beginArray();
        for (Entity e : i.entities()) {
            entity(j, e);
        }
        j.endArray().name("alerts").beginArray();
        for (Incident.Member m : i.members()) {
            j.beginObject().name("labels").labels(m.labels()).name("state").value(m.state()).name("entity");
            if (m.entity() == null) {
                j.nullValue();
            } else {
                entity(j, m.entity());
            }
            j.name("activeAt").value(GoTime.rfc3339Nano(m.activeAtMs()));
            if (m.firedAtMs() != 0) {
                j.name("firedAt").value(GoTime.rfc3339Nano(m.firedAtMs()));
            }
            if (m.resolvedAtMs() != 0) {
                j.name("resolvedAt").value(GoTime.rfc3339Nano(m.resolvedAtMs()));
            }
            j.name("joinedAt").value(GoTime.rfc3339Nano(m.joinedAtMs())).endObject();
        }
        j.endArray();
        if (timeline) {
            j.name("timeline").beginArray();
            for (Incident.Event e : i.timeline()) {
                j.beginObject().name("time").value(GoTime.rfc3339Nano(e.timeMs())).name("type").value(e.type());
                if (!e.alertname().isEmpty()) {
                    j.name("alertname").value(e.alertname()).name("labels").labels(e.labels());
                }
                if (e.entity() != null) {
                    j.name("entity");
                    entity(j, e.entity());
                }
                j.name("text").value(e.text()).endObject();
            }
            j.endArray();
        }
        j.endObject();
    }

    private static void entity(Json j, Entity e) {
        j.beginObject().name("kind").value(e.kind().apiName).name("name").value(e.name()).endObject();
    }

    private static void evidence(Json j, List<Evidence> list) {
        j.beginArray();
        for (Evidence e : list) {
            j.beginObject().name("source").value(e.source()).name("name").value(e.name())
                    .name("series").value(e.series());
            if (!e.state().isEmpty()) {
                j.name("state").value(e.state());
            }
            if (!Double.isNaN(e.value())) {
                j.name("value").value(RulesApi.formatExp(e.value()));
            }
            j.name("since").value(GoTime.rfc3339Nano(e.sinceMs())).name("text").value(e.text());
            if (!e.expr().isEmpty()) {
                j.name("expr").value(e.expr());
            }
            j.endObject();
        }
        j.endArray();
    }
}
