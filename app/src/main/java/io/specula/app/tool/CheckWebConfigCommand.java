package io.specula.app.tool;

import io.specula.httpserver.WebConfig;
import io.specula.model.config.ConfigException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool check web-config FILE...}: promtool's check of {@code --web.config.file}
 * files (YAML keys, bcrypt hashes, headers, TLS files), printing {@code FILE SUCCESS} or
 * {@code FILE FAILED: why} to standard error as promtool does; exit 1 when any file fails.
 */
@Command(
        name = "web-config",
        description = {"Check if the web config files are valid or not.", "Exit status: 0 all valid, 1 any invalid."},
        mixinStandardHelpOptions = true)
public final class CheckWebConfigCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The web configuration files to check.")
    List<String> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        boolean failed = false;
        for (String f : files) {
            try {
                WebConfig.load(Path.of(f));
                err.println(f + " SUCCESS");
            } catch (ConfigException e) {
                err.println(f + " FAILED: " + e.getMessage());
                failed = true;
            }
        }
        err.flush();
        return failed ? 1 : 0;
    }
}
