package io.specula.model.labels;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SymbolTableTest {

    @Test
    void intern_bytesAndStringGiveSameInstance() {
        SymbolTable t = new SymbolTable();
        String a = t.intern("instance");
        byte[] body = "xxinstancexx".getBytes(StandardCharsets.UTF_8);
        assertThat(t.intern(body, 2, 8)).isSameAs(a);
        assertThat(t.intern(new String("instance"))).isSameAs(a);
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void intern_nonAsciiBytesDecodeAsUtf8() {
        SymbolTable t = new SymbolTable();
        byte[] b = "température".getBytes(StandardCharsets.UTF_8);
        String s = t.intern(b, 0, b.length);
        assertThat(s).isEqualTo("température");
        assertThat(t.intern(b, 0, b.length)).isSameAs(s);
        assertThat(t.intern("température")).isSameAs(s);
    }

    @Test
    void intern_survivesGrowthAndClear() {
        SymbolTable t = new SymbolTable(4);
        String[] first = new String[10_000];
        for (int i = 0; i < first.length; i++) {
            first[i] = t.intern("value-" + i);
        }
        for (int i = 0; i < first.length; i++) {
            byte[] b = ("value-" + i).getBytes(StandardCharsets.UTF_8);
            assertThat(t.intern(b, 0, b.length)).isSameAs(first[i]);
        }
        assertThat(t.size()).isEqualTo(10_000);
        t.clear();
        assertThat(t.size()).isZero();
        assertThat(t.intern("value-1")).isEqualTo("value-1");
    }

    @Test
    void intern_emptyString() {
        SymbolTable t = new SymbolTable();
        assertThat(t.intern(new byte[0], 0, 0)).isEmpty();
        assertThat(t.intern("")).isSameAs(t.intern(new byte[3], 1, 0));
    }
}
