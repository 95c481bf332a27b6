package io.specula.alertmanager.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.alertmanager.config.AlertmanagerConfigLoader;
import io.specula.model.labels.Labels;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouteTest {
    private static Route tree() throws Exception {
        return Route.build(AlertmanagerConfigLoader.parse("""
                route:
                  receiver: root
                  group_by: [alertname]
                  group_wait: 10s
                  routes:
                    - matchers: ['team="db"']
                      receiver: db
                      continue: true
                      repeat_interval: 1h
                      routes:
                        - matchers: ['severity="page"']
                          receiver: db-pager
                          group_by: ['...']
                    - matchers: ['team=~"db|web"']
                      receiver: web
                      group_interval: 1m
                receivers: [{name: root}, {name: db}, {name: db-pager}, {name: web}]
                """, "t").route);
    }

    private static List<String> receivers(Route root, String... labels) {
        return root.match(Labels.of(labels)).stream().map(Route::receiver).toList();
    }

    @Test
    void match_deepestNodesWithContinue() throws Exception {
        Route root = tree();
        assertThat(receivers(root, "team", "db")).containsExactly("db", "web");
        assertThat(receivers(root, "team", "db", "severity", "page")).containsExactly("db-pager", "web");
        assertThat(receivers(root, "team", "web")).containsExactly("web");
        assertThat(receivers(root, "team", "ops")).containsExactly("root");
    }

    @Test
    void build_inheritsOptionsDownTheTree() throws Exception {
        Route root = tree();
        Route db = root.routes().get(0);
        Route pager = db.routes().get(0);
        Route web = root.routes().get(1);
        assertThat(root.groupWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(root.groupInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(root.repeatInterval()).isEqualTo(Duration.ofHours(4));
        assertThat(pager.groupWait()).isEqualTo(Duration.ofSeconds(10));
        assertThat(pager.repeatInterval()).isEqualTo(Duration.ofHours(1));
        assertThat(pager.groupByAll()).isTrue();
        assertThat(db.groupBy()).containsExactly("alertname");
        assertThat(web.groupInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(web.repeatInterval()).isEqualTo(Duration.ofHours(4));
    }

    @Test
    void key_concatenatesMatchersFromTheRoot() throws Exception {
        Route root = tree();
        assertThat(root.key()).isEqualTo("{}");
        assertThat(root.routes().get(0).routes().get(0).key()).isEqualTo("{}/{team=\"db\"}/{severity=\"page\"}");
        assertThat(root.routes().get(1).key()).isEqualTo("{}/{team=~\"db|web\"}");
    }

    @Test
    void groupLabels_keepOnlyGroupBy() throws Exception {
        Route root = tree();
        assertThat(root.groupLabels(Labels.of("alertname", "A", "x", "1"))).isEqualTo(Labels.of("alertname", "A"));
    }
}
