package io.specula.app.tool;

import io.specula.alertmanager.config.AlertmanagerConfig;
import io.specula.alertmanager.config.AlertmanagerConfigLoader;
import io.specula.alertmanager.template.NotificationTemplater;
import io.specula.alertmanager.template.TemplateGlobs;
import io.specula.model.config.ConfigException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code specula tool check alertmanager-config FILE...}: amtool's {@code check-config}, with
 * its output shape ({@code Checking 'f'  SUCCESS} and a summary, or {@code FAILED: why}) and
 * exit code (1 when any file fails). Integrations Specula cannot deliver to yet make a file
 * fail too, so a config that passes here is one {@code specula alertmanager} will run.
 * Template files are only checked for readability until the template engine is wired in.
 */
@Command(
        name = "alertmanager-config",
        description = {
            "Check alertmanager.yml files as amtool check-config does.",
            "Exit status: 0 all valid, 1 any invalid."
        },
        mixinStandardHelpOptions = true)
public final class CheckAlertmanagerConfigCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "The alertmanager.yml files to check.")
    List<String> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int failed = 0;
        for (String f : files) {
            if (!check(f, out)) {
                failed++;
            }
            out.println();
        }
        out.flush();
        if (failed > 0) {
            spec.commandLine().getErr().println("error: failed to validate " + failed + " file(s)");
            return 1;
        }
        return 0;
    }

    private static boolean check(String file, PrintWriter out) {
        out.print("Checking '" + file + "'");
        AlertmanagerConfig c;
        try {
            c = AlertmanagerConfigLoader.load(Path.of(file));
        } catch (ConfigException e) {
            // amtool's message follows the file name already; do not repeat it.
            String m = e.getMessage();
            out.println("  FAILED: " + (m.startsWith(file + ":") ? m.substring(file.length() + 1).strip() : m));
            return false;
        }
        out.println("  SUCCESS");
        out.println("Found:");
        out.println(" - global config");
        out.println(" - route");
        out.println(" - " + c.inhibitRules().size() + " inhibit rules");
        out.println(" - " + c.receivers().size() + " receivers");
        out.println(" - " + c.templates().size() + " templates");
        if (!c.templates().isEmpty()) {
            try {
                List<Path> tmpl = TemplateGlobs.expand(c.templates());
                NotificationTemplater.DEFAULT.validate(tmpl);
                out.println("  SUCCESS");
            } catch (IOException | IllegalArgumentException e) {
                out.println("  FAILED: " + e.getMessage());
                return false;
            }
        }
        return true;
    }
}
