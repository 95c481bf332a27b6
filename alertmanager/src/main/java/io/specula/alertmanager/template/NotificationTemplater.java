package io.specula.alertmanager.template;

import java.nio.file.Path;
import java.util.List;

/**
 * Renders notification text (subjects, messages, titles) from the {@code templates:} files.
 *
 * <p>A seam for the Go {@code text/template} engine being written in module
 * {@code template}: until it is wired in, {@link #DEFAULT} only checks that template files
 * can be read and renders nothing. Only the webhook integration exists so far, and its
 * payload uses no templates, so nothing user-visible depends on this yet.
 */
public interface NotificationTemplater {
    /**
     * Checks the template files (after glob expansion).
     *
     * @throws IllegalArgumentException with a user-facing message when one is unusable
     */
    void validate(List<Path> files);

    /** Executes a named template against Alertmanager's notification data (a JSON-like tree). */
    String execute(String templateText, Object data);

    /** The placeholder: files must be readable; text is returned unrendered. */
    NotificationTemplater DEFAULT = new NotificationTemplater() {
        @Override
        public void validate(List<Path> files) {
            for (Path f : files) {
                if (!java.nio.file.Files.isReadable(f)) {
                    throw new IllegalArgumentException("open " + f + ": cannot read template file");
                }
            }
        }

        @Override
        public String execute(String templateText, Object data) {
            return templateText;
        }
    };
}
