package io.specula.model.labels;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelsBuilderTest {

    @Test
    void set_replacesAndDeleteRemoves() {
        LabelsBuilder b = new LabelsBuilder().reset(Labels.of("a", "1", "b", "2"));
        b.set("a", "x").delete("b").set("c", "3");
        assertThat(b.build()).isEqualTo(Labels.of("a", "x", "c", "3"));
    }

    @Test
    void build_emptyValueDeletes() {
        assertThat(new LabelsBuilder().set("a", "").set("b", "1").build()).isEqualTo(Labels.of("b", "1"));
        assertThat(new LabelsBuilder().set("a", "").build()).isSameAs(Labels.EMPTY);
    }

    @Test
    void build_sortsReverseInput_andStaysReusable() {
        LabelsBuilder b = new LabelsBuilder();
        for (int i = 40; i > 0; i--) {
            b.add(String.format("n%02d", i), "v" + i);
        }
        Labels l = b.build();
        for (int i = 1; i < l.size(); i++) {
            assertThat(l.name(i - 1)).isLessThan(l.name(i));
        }
        assertThat(b.size()).isEqualTo(40);
        assertThat(b.reset().build()).isSameAs(Labels.EMPTY);
    }

    @Test
    void firstDuplicateName_findsRepeatedName() {
        assertThat(new LabelsBuilder().add("a", "1").add("b", "1").firstDuplicateName()).isNull();
        assertThat(new LabelsBuilder().add("a", "1").add("b", "1").add("a", "2").firstDuplicateName()).isEqualTo("a");
    }

    @Test
    void retain_keepsMatchingNames() {
        LabelsBuilder b = new LabelsBuilder().add("__meta_x", "1").add("job", "j").add("__address__", "a");
        b.retain(n -> !n.startsWith("__meta_"));
        assertThat(b.build()).isEqualTo(Labels.of("job", "j", "__address__", "a"));
    }
}
