package io.specula.tsdb.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Runs the real promtool; tests that need it are aborted with a message when it is absent. */
public final class Promtool {
    private Promtool() {}

    /** The promtool executable on the PATH; aborts the calling test when there is none. */
    public static Path require() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, "promtool");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        Assumptions.abort("promtool not found on PATH (" + path + "); install Debian's 'prometheus' package to run the block interop tests");
        return null;
    }

    /** Runs {@code promtool args...}, asserts exit 0, returns stdout (stderr is only reported on failure). */
    public static String run(Path promtool, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(promtool.toString());
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("promtool", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(180, TimeUnit.SECONDS)).as("promtool finished").isTrue();
            assertThat(p.exitValue()).as("%s failed:\n%s\n%s", cmd, out, Files.readString(err)).isZero();
            return out;
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
