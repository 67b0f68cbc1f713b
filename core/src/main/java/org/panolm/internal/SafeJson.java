package org.panolm.internal;

import java.util.Iterator;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.ErrorReportConfiguration;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * Jackson set up for input that may hold secrets (an export file's keys, a Security Key pasted into the
 * wrong file): the one place panolm's parsers get their factory from.
 *
 * <p>Jackson's exception messages quote the input: the offending token ({@code Unrecognized token 'EsTc…'}),
 * a character, a value that did not convert, and with {@link StreamReadFeature#INCLUDE_SOURCE_IN_LOCATION}
 * an excerpt of the source. So source excerpts are off and token excerpts cut to nothing here, duplicate
 * keys are refused (two readers of one object must not see different values), and no caller puts a
 * Jackson message into its own: {@link #describe} names the line, column and field path instead.
 */
public final class SafeJson {
    private SafeJson() {}

    /**
     * A new factory (each mapper needs its own: a mapper claims its factory's codec).
     *
     * @return the factory
     */
    public static JsonFactory factory() {
        return JsonFactory.builder()
                .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .errorReportConfiguration(ErrorReportConfiguration.builder()
                        .maxErrorTokenLength(0).maxRawContentLength(0).build())
                .build();
    }

    /**
     * A mapper builder over {@link #factory()}, for callers that add their own features.
     *
     * @return the builder
     */
    public static JsonMapper.Builder mapperBuilder() {
        return JsonMapper.builder(factory());
    }

    /**
     * A mapper over {@link #factory()} with Jackson's other defaults.
     *
     * @return the mapper
     */
    public static JsonMapper mapper() {
        return mapperBuilder().build();
    }

    /**
     * What went wrong and where, without quoting the input: {@code line 3, column 17, at content.body: not
     * valid JSON (the input ends inside a value)}. Field names are shown only when they look like Matrix
     * field names (short, lower-case identifiers), since a field name is input too.
     *
     * @param e the parse or mapping failure
     * @return the description, without any of the input
     */
    public static String describe(JsonProcessingException e) {
        return describe(e, 1, 1);
    }

    /**
     * As {@link #describe(JsonProcessingException)} for a JSON text that starts at {@code firstLine},
     * {@code firstColumn} of a larger input (an element of an array, a line of JSON Lines).
     *
     * @param e           the parse or mapping failure
     * @param firstLine   the line of the larger input the text starts on (1-based)
     * @param firstColumn the column of that line it starts at (1-based)
     * @return the description, without any of the input
     */
    public static String describe(JsonProcessingException e, long firstLine, long firstColumn) {
        StringBuilder s = new StringBuilder();
        JsonLocation at = e.getLocation();
        if (at != null && at.getLineNr() > 0) {
            s.append("line ").append(firstLine + at.getLineNr() - 1);
            if (at.getColumnNr() > 0) {
                s.append(", column ").append(at.getLineNr() == 1 ? firstColumn + at.getColumnNr() - 1 : at.getColumnNr());
            }
        }
        String path = path(e);
        if (path != null) {
            s.append(s.isEmpty() ? "" : ", ").append("at ").append(path);
        }
        if (!s.isEmpty()) {
            s.append(": ");
        }
        return s.append(category(e)).toString();
    }

    private static String category(JsonProcessingException e) {
        if (e instanceof JsonEOFException) {
            return "not valid JSON (the input ends inside a value)";
        }
        if (e instanceof StreamConstraintsException) {
            return "not accepted (a string, number, name or nesting depth is over its limit)";
        }
        if (e instanceof DatabindException) {
            return "a field is missing or has the wrong type or form";
        }
        return "not valid JSON (a syntax error or a duplicate field)";
    }

    private static final Pattern SAFE_NAME = Pattern.compile("[a-z0-9_.]{1,64}");

    /**
     * Whether a field name from the input may be shown in a message.
     *
     * @param name the field name
     * @return true when it looks like a Matrix field name
     */
    public static boolean isShowableName(String name) {
        return name != null && SAFE_NAME.matcher(name).matches();
    }

    /**
     * A field path ({@code content.body}, {@code chunk[3]}) for a message, built from a parser's context;
     * null at the top level or when a name is not showable.
     *
     * @param context the parser's context
     * @return the path, or null
     */
    public static String path(JsonStreamContext context) {
        StringBuilder s = new StringBuilder();
        return appendContext(s, context) && !s.isEmpty() ? s.toString() : null;
    }

    /** Paths deeper than this show their first and last steps only. */
    private static final int SHOWN_STEPS = 6;

    /** The field path (from the mapping path or the parser's context), or null when unknown or not showable. */
    private static String path(JsonProcessingException e) {
        StringBuilder s = new StringBuilder();
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            for (JsonMappingException.Reference r : m.getPath()) {
                if (!append(s, r.getFieldName(), r.getIndex())) {
                    return null;
                }
            }
        } else if (e.getProcessor() instanceof JsonParser p && !appendContext(s, p.getParsingContext())) {
            return null;
        }
        return s.isEmpty() ? null : s.toString();
    }

    private static boolean appendContext(StringBuilder s, JsonStreamContext context) {
        java.util.ArrayDeque<JsonStreamContext> chain = new java.util.ArrayDeque<>();
        for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
            chain.push(c);
        }
        int step = 0;
        int steps = chain.size();
        for (Iterator<JsonStreamContext> it = chain.iterator(); it.hasNext(); step++) {
            JsonStreamContext c = it.next();
            if (c.inObject() && c.getCurrentName() == null) {
                break;
            }
            if (steps > SHOWN_STEPS && step >= SHOWN_STEPS / 2 && step < steps - SHOWN_STEPS / 2) {
                if (step == SHOWN_STEPS / 2) {
                    s.append(".…");
                }
                continue;
            }
            if (!append(s, c.inObject() ? c.getCurrentName() : null, c.inArray() ? c.getCurrentIndex() : -1)) {
                return false;
            }
        }
        return true;
    }

    private static boolean append(StringBuilder s, String name, int index) {
        if (name != null) {
            if (!isShowableName(name)) {
                return false;
            }
            s.append(s.isEmpty() ? "" : ".").append(name);
        } else if (index >= 0) {
            s.append('[').append(index).append(']');
        }
        return true;
    }
}
