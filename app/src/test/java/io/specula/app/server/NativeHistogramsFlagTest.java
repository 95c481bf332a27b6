package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --enable-feature=native-histograms} is accepted now that the head stores native histograms. */
class NativeHistogramsFlagTest {
    @TempDir
    Path dir;

    @Test
    void nativeHistogramsFeature_isAcceptedAndListed() {
        ServerCommand cmd = new ServerCommand();
        new CommandLine(cmd).parseArgs("--storage.tsdb.path=" + dir.resolve("data"),
                "--enable-feature=native-histograms", "--web.listen-address=127.0.0.1:0");
        ServerOptions options = cmd.options();
        assertThat(options.flags().get("enable-feature")).contains("native-histograms");
    }
}
