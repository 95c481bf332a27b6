package io.specula.app;

import picocli.CommandLine.IVersionProvider;

/** Build information, as {@code --version} and later {@code /api/v1/status/buildinfo} report it. */
public final class Version implements IVersionProvider {
    public static String version() {
        String v = Version.class.getPackage().getImplementationVersion();
        return v != null ? v : "0.1.0-dev";
    }

    @Override
    public String[] getVersion() {
        return new String[] {
            "specula, version " + version(),
            "  java:  " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
        };
    }
}
