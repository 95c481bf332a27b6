package io.specula.discovery.config;

import io.specula.model.config.PromDuration;
import java.util.List;
import java.util.regex.Pattern;

/** A {@code file_sd_config}: target group files (globs allowed in the last path element). */
public final class FileSdConfig {
    public static final PromDuration DEFAULT_REFRESH_INTERVAL = PromDuration.ofMinutes(5);

    /** Prometheus's rule: at most one glob star, in the file name, and a JSON or YAML extension. */
    private static final Pattern NAME = Pattern.compile("^[^*]*(\\*[^/]*)?\\.(json|yml|yaml|JSON|YML|YAML)$");

    public List<String> files;
    public PromDuration refreshInterval;

    void validate() throws ConfigValidationException {
        if (files == null || files.isEmpty()) {
            throw new ConfigValidationException("file service discovery config must contain at least one path name");
        }
        for (String f : files) {
            if (f == null || !NAME.matcher(f).matches()) {
                throw new ConfigValidationException("path name \"" + f + "\" is not valid for file discovery");
            }
        }
        if (refreshInterval == null || refreshInterval.isZero()) {
            refreshInterval = DEFAULT_REFRESH_INTERVAL;
        }
    }
}
