package io.specula.app.server;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.ConsoleMessage;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.Response;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Debian's chromium driven by Playwright for Java, whose driver runs on the machine's node
 * (no browser or Node download). Skips the test loudly when chromium or node is missing.
 * One instance per test class; {@link #open} gives a page that records console errors and
 * failed requests, which {@link Tab#assertClean} turns into a failure.
 */
final class Chromium implements AutoCloseable {
    static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    private final Playwright playwright;
    private final Browser browser;

    private Chromium(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
    }

    static Chromium launch() {
        assumeTrue(Files.isExecutable(CHROMIUM), "SKIPPED: " + CHROMIUM + " missing (install Debian's chromium, or run .ci/run)");
        Path node = onPath("node");
        assumeTrue(node != null, "SKIPPED: node not on PATH (install Debian's nodejs): Playwright's driver runs on it");
        Playwright pw = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of(
                "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1", "PLAYWRIGHT_NODEJS_PATH", node.toString())));
        Browser b = pw.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM).setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-background-networking", "--disable-component-update",
                        "--disable-sync", "--headless")));
        return new Chromium(pw, b);
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** A fresh context and page (own storage) of 1280×800 that records errors. */
    Tab open() {
        return new Tab(browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 800)).newPage());
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }

    /** A page and what went wrong on it. */
    static final class Tab implements AutoCloseable {
        final Page page;
        final List<String> errors = new CopyOnWriteArrayList<>();
        /** Responses and console errors matching this are expected (e.g. an invalid query's 400). */
        volatile Predicate<String> expected = s -> false;

        Tab(Page page) {
            this.page = page;
            page.setDefaultTimeout(15_000);
            page.onConsoleMessage((ConsoleMessage m) -> {
                if (m.type().equals("error") && !expected.test(m.text())) {
                    errors.add("console: " + m.text());
                }
            });
            page.onPageError(e -> errors.add("page error: " + e));
            page.onRequestFailed((Request r) -> {
                // Cancelled fetches (a query superseded by the next) are not failures.
                if (r.failure() != null && !r.failure().contains("ERR_ABORTED")) {
                    errors.add("request failed: " + r.url() + " " + r.failure());
                }
            });
            page.onResponse((Response r) -> {
                if (r.status() >= 400 && !expected.test(r.url())) {
                    errors.add("HTTP " + r.status() + ": " + r.url());
                }
            });
        }

        /** Saves a screenshot as target/ui-screenshots/NAME.png and fails on recorded errors. */
        void assertClean(String name) throws Exception {
            assertClean(name, 30_000);
        }

        /** As {@link #assertClean(String)}, with a screenshot timeout for heavy pages on a loaded machine. */
        void assertClean(String name, double screenshotTimeoutMs) throws Exception {
            Files.createDirectories(SCREENSHOTS);
            page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setTimeout(screenshotTimeoutMs));
            org.assertj.core.api.Assertions.assertThat(errors).as("console errors and failed requests on " + name).isEmpty();
        }

        @Override
        public void close() {
            if (!errors.isEmpty()) {
                // Shown also when the test failed before assertClean: often the cause.
                System.err.println("browser errors on " + page.url() + ": " + errors);
            }
            page.context().close();
        }
    }
}
