package org.panolm.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;

import org.panolm.internal.SafeJson;

/**
 * The one Jackson configuration of the command: input parsed as core parses it ({@link SafeJson}: errors
 * never quote the input, duplicate keys refused), events pass through without losing number precision,
 * and output never carries a character that a terminal would obey ({@link TerminalSafeEscapes}).
 */
public final class Json {
    private Json() {}

    public static final ObjectMapper MAPPER = JsonMapper.builder(((JsonFactoryBuilder) SafeJson.factory().rebuild())
                    .characterEscapes(new TerminalSafeEscapes()).build())
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            // The output stream belongs to the caller, who closes it once after the last line.
            .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET)
            .build();

    /** For a whole document (one JSON Lines line, a key file): anything after the value is an error. */
    public static final ObjectReader STRICT_READER = MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    public static JsonFactory factory() {
        return MAPPER.getFactory();
    }

    /**
     * JSON's own escapes, and {@code \\uXXXX} for what JSON lets through raw but a terminal may obey or
     * display misleadingly: DEL, the C1 controls (U+0080 to U+009F; U+009B is a CSI), the line and paragraph
     * separators and the bidirectional controls. Readers of the JSON see the same strings.
     */
    static final class TerminalSafeEscapes extends CharacterEscapes {
        private final int[] ascii;

        TerminalSafeEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            return Terminal.isUnsafe(ch) ? new SerializedString(String.format("\\u%04x", ch)) : null;
        }
    }
}
