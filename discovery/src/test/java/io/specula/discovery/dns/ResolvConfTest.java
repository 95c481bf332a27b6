package io.specula.discovery.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ResolvConfTest {
    @Test
    void parse_serversSearchNdots() {
        ResolvConf c = ResolvConf.parse("""
                # comment
                nameserver 10.0.0.1
                domain old.example
                search a.example b.example.
                nameserver 10.0.0.2
                options timeout:1 ndots:3 rotate
                """, 53);
        assertThat(c.servers()).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(c.search()).containsExactly("a.example.", "b.example.");
        assertThat(c.ndots()).isEqualTo(3);
        assertThat(ResolvConf.parse("options ndots:99\n", 53).ndots()).isEqualTo(15);
        assertThat(ResolvConf.parse("", 53).ndots()).isEqualTo(1);
    }

    @Test
    void nameList_ndotsDecidesWhetherTheNameGoesFirst() {
        ResolvConf c = new ResolvConf(List.of(), 53, List.of("a.example.", "b.example."), 1);
        assertThat(c.nameList("web")).containsExactly("web.a.example.", "web.b.example.", "web.");
        assertThat(c.nameList("web.svc")).containsExactly("web.svc.", "web.svc.a.example.", "web.svc.b.example.");
        assertThat(c.nameList("web.svc.")).containsExactly("web.svc.");
        ResolvConf k8s = new ResolvConf(List.of(), 53, List.of("ns.svc.cluster.local."), 5);
        assertThat(k8s.nameList("a.b.c")).containsExactly("a.b.c.ns.svc.cluster.local.", "a.b.c.");
    }
}
