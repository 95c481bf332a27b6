package io.specula.alertmanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.specula.ui.UiAssets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The UI's routing endpoints (/api/ui/routes, /api/ui/routes/test) and the UI's page at "/". */
class RoutesUiApiTest {
    private static final String CONFIG = """
            route:
              receiver: default
              group_by: [alertname]
              routes:
                - matchers: ['severity="page"']
                  receiver: pager
                  continue: true
                  routes:
                    - matchers: ['team="db"']
                      receiver: db-pager
                - matchers: ['team=~"db|storage"']
                  receiver: db
            receivers: [{name: default}, {name: pager}, {name: db-pager}, {name: db}]
            """;

    @TempDir
    Path dir;

    @Test
    void routesTest_deepestMatchesInOrder_andContinue() throws Exception {
        try (TestAlertmanager t = TestAlertmanager.start(dir, CONFIG)) {
            JsonNode r = t.post("/api/ui/routes/test", "{\"labels\":{\"severity\":\"page\",\"team\":\"db\"}}").json();
            assertThat(r.get("receivers").toString()).isEqualTo("[\"db-pager\",\"db\"]");
            assertThat(r.get("routes").get(0).get("key").asString()).isEqualTo("{}/{severity=\"page\"}/{team=\"db\"}");
            assertThat(t.post("/api/ui/routes/test", "{\"labels\":{\"x\":\"y\"}}").json().get("receivers").toString())
                    .isEqualTo("[\"default\"]");

            JsonNode tree = t.get("/api/ui/routes").json();
            assertThat(tree.get("receiver").asString()).isEqualTo("default");
            assertThat(tree.get("groupWait").asString()).isEqualTo("30s");
            assertThat(tree.get("routes").get(0).get("matchers").get(0).asString()).isEqualTo("severity=\"page\"");
            assertThat(tree.get("routes").get(0).get("continue").asBoolean()).isTrue();
            assertThat(tree.get("routes").get(0).get("routes").get(0).get("receiver").asString()).isEqualTo("db-pager");
        }
    }

    @Test
    void routesTest_badBodies_400WithMessage() throws Exception {
        try (TestAlertmanager t = TestAlertmanager.start(dir, CONFIG)) {
            var r = t.post("/api/ui/routes/test", "{\"severity\":\"page\"}");
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.json().asString()).contains("body must be {\"labels\"");
            assertThat(t.post("/api/ui/routes/test", "{\"labels\":{\"a\":1}}").json().asString())
                    .isEqualTo("label a: value must be a string");
            assertThat(t.post("/api/ui/routes/test", "not json").status()).isEqualTo(400);
            assertThat(t.get("/api/ui/routes/test").status()).isEqualTo(405);
        }
    }

    @Test
    void get_root_servesTheUiPage() throws Exception {
        assumeTrue(UiAssets.load("alertmanager.html", "", "t") != null, "the UI was not built (-Dskip.ui)");
        try (TestAlertmanager t = TestAlertmanager.start(dir, CONFIG)) {
            var page = t.get("/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body()).contains("<base href=\"/\">", "<title>Alertmanager</title>");
            assertThat(t.get("/api/v2/nope").status()).isEqualTo(404);
        }
    }
}
