package io.specula.app.tool;

import java.io.PrintWriter;
import java.nio.file.Path;

/** Checks one rule file as promtool does ({@code Checking F}, then SUCCESS or FAILED). */
final class RuleFileCheck {
    private RuleFileCheck() {}

    /** Prints the result; returns whether the file is valid. */
    static boolean check(Path file, PrintWriter out, PrintWriter err) {
        out.println("Checking " + file);
        // TODO(merge): validate with the rules module's loader once it lands.
        err.println("  FAILED: rule files cannot be checked yet");
        out.println();
        return false;
    }
}
