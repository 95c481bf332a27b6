package io.specula.alertmanager.template;

import io.specula.template.TemplateException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * The checks {@code specula tool check alertmanager-config} makes on the {@code templates:}
 * files, and a one-off render with the built-in templates. The daemon itself holds a
 * {@link NotificationTemplates} per loaded config.
 */
public interface NotificationTemplater {
    /**
     * Checks the template files (after glob expansion): readable and parseable.
     *
     * @throws IllegalArgumentException with a user-facing message when one is unusable
     */
    void validate(List<Path> files);

    /** Executes template text against notification data, with the built-in templates available. */
    String execute(String templateText, Object data);

    /** Parses with Specula's template engine, as the daemon will. */
    NotificationTemplater DEFAULT = new NotificationTemplater() {
        @Override
        public void validate(List<Path> files) {
            try {
                NotificationTemplates.load(files, Clock.systemUTC());
            } catch (TemplateException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }

        @Override
        public String execute(String templateText, Object data) {
            try {
                return NotificationTemplates.defaults().text(templateText, data);
            } catch (TemplateException e) {
                throw new IllegalArgumentException(e.getMessage());
            }
        }
    };
}
