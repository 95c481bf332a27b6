package io.specula.promql.promqltest;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The text front end of the script runner ({@code specula tool test promql}): per file and in
 * total {@code N passed, M failed}, with {@code verbose} every failure.
 */
public final class ScriptCli {
    private ScriptCli() {}

    /** Runs the files; returns the exit code (0 when every eval passed). */
    public static int run(List<Path> files, boolean verbose, PrintStream out) {
        ScriptRunner runner = new ScriptRunner();
        long pass = 0, fail = 0;
        boolean broken = false;
        for (Path f : files) {
            ScriptRunner.FileReport r;
            try {
                r = runner.run(f);
            } catch (IOException e) {
                out.println(f + ": cannot read: " + e.getMessage());
                broken = true;
                continue;
            }
            if (verbose) {
                for (ScriptRunner.EvalOutcome o : r.evals()) {
                    if (!o.passed()) {
                        out.println(f + ":" + o.line() + ": " + o.expr());
                        out.println("  expected: " + o.expected().replace("\n", "\n            "));
                        out.println("  got:      " + o.got());
                    }
                }
            }
            if (r.error() != null) {
                out.println(f + ": error: " + r.error());
                broken = true;
            }
            out.println(f + ": " + r.passed() + " passed, " + r.failed() + " failed");
            pass += r.passed();
            fail += r.failed();
        }
        if (files.size() > 1) {
            out.println("total: " + pass + " passed, " + fail + " failed");
        }
        return fail == 0 && !broken ? 0 : 1;
    }

    public static void main(String[] args) {
        boolean verbose = false;
        List<Path> files = new java.util.ArrayList<>();
        for (String a : args) {
            if (a.equals("--verbose") || a.equals("-v")) {
                verbose = true;
            } else {
                files.add(Path.of(a));
            }
        }
        System.exit(run(files, verbose, System.out));
    }
}
