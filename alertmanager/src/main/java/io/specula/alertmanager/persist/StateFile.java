package io.specula.alertmanager.persist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One snapshot file of Alertmanager state (silences, notification log) under
 * {@code --storage.path}: JSON, written to a temporary file and renamed so a crash never
 * leaves half a snapshot. A snapshot that cannot be read is moved aside (renamed with a
 * {@code .corrupt-<millis>} suffix), reported, and the daemon starts empty. Specula's own
 * format: not compatible with the protobuf snapshots of the Go Alertmanager, hence the
 * distinct {@code .json} file names.
 */
public final class StateFile {
    private static final Logger LOG = LoggerFactory.getLogger(StateFile.class);
    public static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path file;

    public StateFile(Path file) {
        this.file = file;
    }

    public Path path() {
        return file;
    }

    /** The snapshot's tree, or null when there is none or it was corrupt (and set aside). */
    public JsonNode read() {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readTree(Files.readAllBytes(file));
        } catch (IOException | JacksonException e) {
            setAside(e.getMessage());
            return null;
        }
    }

    /** Called by owners that find the content invalid after parsing. */
    public void setAside(String why) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
        try {
            Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            LOG.warn("corrupt state snapshot set aside, starting without it: file={} moved_to={} err={}", file, aside,
                    firstLine(why));
        } catch (IOException e) {
            LOG.warn("corrupt state snapshot could not be moved aside: file={} err={}", file, e.getMessage());
        }
    }

    public void write(JsonNode tree) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.write(tmp, JSON.writeValueAsBytes(tree));
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
