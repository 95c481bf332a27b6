package io.specula.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.specula.app.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code --enable-feature=native-histograms}: accepted, and it turns scraping of native histograms on by default (Prometheus 3). */
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

    @Test
    void feature_makesScrapeNativeHistogramsDefaultToTrue_unlessTheFileSaysOtherwise() throws Exception {
        Path file = dir.resolve("prometheus.yml");
        Files.writeString(file, """
                scrape_configs:
                  - job_name: a
                    static_configs: [{targets: ['127.0.0.1:1']}]
                  - job_name: b
                    scrape_native_histograms: false
                    static_configs: [{targets: ['127.0.0.1:2']}]
                """);
        var on = ConfigLoader.load(file, true).scrapeConfigs();
        assertThat(on.get(0).scrapeNative()).isTrue();
        assertThat(on.get(1).scrapeNative()).isFalse();
        assertThat(ConfigLoader.load(file, false).scrapeConfigs().get(0).scrapeNative()).isFalse();

        Files.writeString(file, """
                global: {scrape_native_histograms: false}
                scrape_configs:
                  - job_name: a
                    static_configs: [{targets: ['127.0.0.1:1']}]
                """);
        assertThat(ConfigLoader.load(file, true).scrapeConfigs().get(0).scrapeNative()).isFalse();
    }
}
