package io.specula.model.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GlobsTest {
    @TempDir
    Path dir;

    @Test
    void expand_starAndClass_matchWithinOneElementSorted() throws Exception {
        for (String f : new String[] {"rules/b.yml", "rules/a.yml", "rules/c.yaml", "rules/sub/d.yml", "other/e.yml"}) {
            Files.createDirectories(dir.resolve(f).getParent());
            Files.writeString(dir.resolve(f), "");
        }
        assertThat(Globs.expand(dir, "rules/*.yml")).containsExactly(dir.resolve("rules/a.yml"), dir.resolve("rules/b.yml"));
        assertThat(Globs.expand(dir, "rules/[ab].y?l")).containsExactly(dir.resolve("rules/a.yml"), dir.resolve("rules/b.yml"));
        assertThat(Globs.expand(dir, "rules/[^a].yml")).containsExactly(dir.resolve("rules/b.yml"));
        assertThat(Globs.expand(dir, "*/e.yml")).containsExactly(dir.resolve("other/e.yml"));
        assertThat(Globs.expand(dir, "rules/*/d.yml")).containsExactly(dir.resolve("rules/sub/d.yml"));
    }

    @Test
    void expand_plainPath_existingOrNothing() throws Exception {
        Files.writeString(dir.resolve("x.yml"), "");
        assertThat(Globs.expand(dir, "x.yml")).containsExactly(dir.resolve("x.yml"));
        assertThat(Globs.expand(dir, "y.yml")).isEmpty();
        assertThat(Globs.expand(dir, "missing/*.yml")).isEmpty();
    }

    @Test
    void validate_badClass_isGoSyntaxError() {
        assertThatThrownBy(() -> Globs.validate("rules/[a.yml")).hasMessage("syntax error in pattern: rules/[a.yml");
        assertThatThrownBy(() -> Globs.validate("rules/a\\")).hasMessage("syntax error in pattern: rules/a\\");
    }
}
