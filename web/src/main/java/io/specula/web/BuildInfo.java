package io.specula.web;

/**
 * What {@code /api/v1/status/buildinfo} reports. The {@code version} is the Prometheus version
 * whose API and language Specula implements, with Specula's own version as semver build
 * metadata ({@code 3.0.0+specula.0.1.0}): clients such as Grafana pick features by comparing
 * that version, and Specula's own number would make them assume an ancient Prometheus.
 */
public final class BuildInfo {
    /** The Prometheus release whose HTTP API and PromQL this build answers like. */
    public static final String COMPATIBLE_PROMETHEUS = "3.0.0";

    private BuildInfo() {}

    /** Specula's version from the jar manifest, or the development version. */
    public static String speculaVersion() {
        String v = BuildInfo.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }

    public static String version() {
        return COMPATIBLE_PROMETHEUS + "+specula." + speculaVersion();
    }

    public static String revision() {
        return "specula-" + speculaVersion();
    }

    public static String branch() {
        return "specula";
    }

    public static String buildUser() {
        return "specula";
    }

    public static String buildDate() {
        return "";
    }

    /** Where Prometheus names its Go version: the Java runtime's. */
    public static String runtimeVersion() {
        return "java" + Runtime.version();
    }
}
