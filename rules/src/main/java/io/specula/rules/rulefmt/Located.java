package io.specula.rules.rulefmt;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;

/**
 * A scalar of a rule file with the line and column where its value starts, so validation
 * errors can point at it as Prometheus does ({@code 5:15: group "g", rule 1, …}). Any YAML
 * scalar is taken as its text, as Go's YAML reader does for string fields ({@code expr: 1}).
 * Immutable.
 *
 * @param value the scalar's text, never null
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 */
@JsonDeserialize(using = Located.Reader.class)
public record Located(String value, int line, int column) {
    public static final Located ABSENT = new Located("", 0, 0);

    public Located {
        value = value == null ? "" : value;
    }

    public boolean isEmpty() {
        return value.isEmpty();
    }

    /** {@code line:col}, Prometheus's position prefix (0:0 for a key that is absent). */
    public String position() {
        return line + ":" + column;
    }

    static final class Reader extends ValueDeserializer<Located> {
        @Override
        public Located deserialize(JsonParser p, DeserializationContext ctxt) {
            JsonToken t = p.currentToken();
            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                throw DatabindException.from(p, "expected a scalar value");
            }
            TokenStreamLocation loc = p.currentTokenLocation();
            String text = t == JsonToken.VALUE_NULL ? "" : p.getString();
            return new Located(text, loc == null ? 0 : loc.getLineNr(), loc == null ? 0 : loc.getColumnNr());
        }

        @Override
        public Located getNullValue(DeserializationContext ctxt) {
            return ABSENT;
        }
    }
}
