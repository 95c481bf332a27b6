package io.specula.discovery.config;

import io.specula.model.config.PromDuration;
import java.util.List;

/** A {@code dockerswarm_sd_config}: the {@code services}, {@code tasks} or {@code nodes} of a Swarm manager. */
public final class DockerSwarmSdConfig extends SdHttpClientConfig {
    public static final PromDuration DEFAULT_REFRESH_INTERVAL = PromDuration.ofMinutes(1);

    public String host;
    public String role;
    public int port = 80;
    public List<DockerFilter> filters;
    public PromDuration refreshInterval;

    void validate() throws ConfigValidationException {
        DockerSdConfig.checkHost(host);
        if (role == null || role.isEmpty()) {
            throw new ConfigValidationException("role missing (one of: tasks, services, nodes)");
        }
        if (!role.equals("services") && !role.equals("tasks") && !role.equals("nodes")) {
            throw new ConfigValidationException("invalid role " + role + ", expected tasks, services, or nodes");
        }
        if (refreshInterval == null || refreshInterval.isZero()) {
            refreshInterval = DEFAULT_REFRESH_INTERVAL;
        }
        validateHttp();
    }

    public List<DockerFilter> filters() {
        return filters == null ? List.of() : filters;
    }
}
