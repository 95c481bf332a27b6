package io.specula.app.tool;

import io.specula.app.config.ConfigLoader;
import io.specula.model.config.ConfigException;
import io.specula.model.config.Globs;
import io.specula.discovery.config.FileSdConfig;
import io.specula.scrape.config.ScrapeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool check config FILE...}: promtool's {@code check config}: the same output,
 * FAILED lines on stderr, exit code 1 when any file (or a rule file it lists) is invalid.
 */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Check if the config files are valid or not.")
public final class CheckConfigCommand implements Callable<Integer> {
    @Option(names = "--syntax-only", description = "Only check the config file syntax, ignoring file and content validation referenced in the config.")
    boolean syntaxOnly;

    @Parameters(arity = "1..*", paramLabel = "config-files", description = "The config files to check.")
    List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        boolean failed = false;
        for (Path f : files) {
            out.println("Checking " + f);
            ConfigLoader.Loaded c;
            try {
                c = ConfigLoader.load(f);
            } catch (ConfigException e) {
                err.println("  FAILED: " + e.getMessage());
                out.println();
                err.flush();
                failed = true;
                continue;
            }
            List<Path> ruleFiles = new ArrayList<>();
            if (!syntaxOnly) {
                for (ScrapeConfig sc : c.scrapeConfigs()) {
                    for (FileSdConfig sd : sc.fileSdConfigs()) {
                        for (String pattern : sd.files) {
                            warnIfMissing(out, c.dir(), pattern, sc.jobName);
                        }
                    }
                }
                try {
                    for (String pattern : c.ruleFiles()) {
                        ruleFiles.addAll(Globs.expand(null, pattern));
                    }
                } catch (ConfigException e) {
                    err.println("  FAILED: " + e.getMessage());
                    failed = true;
                    continue;
                }
                if (!ruleFiles.isEmpty()) {
                    out.println("  SUCCESS: " + ruleFiles.size() + " rule files found");
                }
            }
            out.println(" SUCCESS: " + f + " is valid prometheus config file syntax");
            out.println();
            for (Path rf : ruleFiles) {
                // promtool fails check config on invalid rule files, not on lint findings
                failed |= RuleFileCheck.check(rf, rf.toString(), true, "     ", out, err) == RuleFileCheck.Verdict.INVALID;
            }
        }
        out.flush();
        err.flush();
        return failed ? 1 : 0;
    }

    private static void warnIfMissing(PrintWriter out, Path dir, String pattern, String job) {
        try {
            if (Globs.expand(dir, pattern).isEmpty() && !Globs.hasMeta(pattern)) {
                out.println("  WARNING: file \"" + pattern + "\" for file_sd in scrape job \"" + job + "\" does not exist");
            }
        } catch (ConfigException e) {
            out.println("  WARNING: " + e.getMessage());
        }
    }
}
