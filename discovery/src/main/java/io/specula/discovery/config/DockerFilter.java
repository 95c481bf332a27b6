package io.specula.discovery.config;

import java.util.List;

/** One entry of {@code filters} in {@code docker_sd_configs} and {@code dockerswarm_sd_configs}: passed to the Engine API. */
public final class DockerFilter {
    public String name;
    public List<String> values;
}
