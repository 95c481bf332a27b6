package io.specula.rules;

import io.specula.template.FunctionSet;
import io.specula.template.PrometheusFunctions;
import io.specula.template.Template;
import io.specula.template.TemplateException;
import java.util.Map;

/**
 * One label value or annotation of an alerting rule as a template, parsed once. Expansion
 * never fails: an error becomes the text Prometheus puts in its place,
 * {@code <error expanding template: …>}, so one bad template cannot stop evaluation.
 */
final class AlertTemplates {
    private final String name;
    private final String text;
    private final Template parsed;
    private final String parseError;

    AlertTemplates(String ruleName, String text) {
        this.name = "__alert_" + ruleName;
        this.text = text;
        Template t = null;
        String err = null;
        if (text.contains("{{")) {
            try {
                t = Template.parse(name, PrometheusFunctions.alertTemplatePrefix() + text, PrometheusFunctions.forParsing())
                        .withMissingKey(Template.MissingKey.ZERO);
            } catch (TemplateException e) {
                err = e.getMessage();
            }
        }
        this.parsed = t;
        this.parseError = err;
    }

    /** Plain text needs no evaluation; only texts with actions are executed. */
    String expand(Map<String, Object> data, FunctionSet functions) {
        return expand(data, bind(functions));
    }

    /** The template bound to one evaluation's functions, to expand many alerts with; null for plain text. */
    Template bind(FunctionSet functions) {
        return parsed == null ? null : parsed.withFunctions(functions);
    }

    /** Expands with a template from {@link #bind}. */
    String expand(Map<String, Object> data, Template bound) {
        if (parseError != null) {
            return "<error expanding template: error parsing template " + name + ": " + parseError + ">";
        }
        if (bound == null) {
            return text;
        }
        try {
            return bound.executeToString(data);
        } catch (TemplateException e) {
            return "<error expanding template: error executing template " + name + ": " + e.getMessage() + ">";
        } catch (RuntimeException | StackOverflowError e) {
            return "<error expanding template: panic expanding template " + name + ": " + e.getMessage() + ">";
        }
    }
}
