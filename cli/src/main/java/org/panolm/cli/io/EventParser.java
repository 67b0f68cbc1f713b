package org.panolm.cli.io;

import java.io.IOException;
import java.util.ArrayDeque;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.internal.SafeJson;

/**
 * Parses one item of the input (a JSON Lines line, an array element, a room key) into an object tree,
 * strictly: a duplicate field is an error (two readers of one event must not see different types or
 * contents), nesting is bounded, nothing may follow the value. Errors name the line, column and field
 * and never quote the input, which may be a secret pasted into the wrong file.
 */
public final class EventParser {
    /** What became of the bytes. */
    public sealed interface Result {}

    public record Parsed(ObjectNode event) implements Result {}

    /** A well-formed value that is not an object: {@code an array}, {@code a string}… */
    public record NotAnObject(String what) implements Result {}

    /** Not accepted; {@code message} starts with the position ({@code line 3, column 9: …}). */
    public record Problem(String message) implements Result {}

    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private final JsonFactory factory;
    private final int maxDepth;

    public EventParser(JsonLimits limits) {
        this.maxDepth = limits.maxDepth();
        // Duplicates are found below, where the field can be named; Jackson's own limits stay as a backstop.
        this.factory = SafeJson.factory().rebuild()
                .disable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth() + 1)
                        .maxStringLength(Math.max(limits.maxEventBytes(), 1 << 16))
                        .maxDocumentLength(limits.maxEventBytes() + 1L)
                        .build())
                .build();
    }

    /**
     * @param line   the input line the bytes start on (1-based), for messages
     * @param column the column of that line they start at (1-based)
     */
    public Result parse(byte[] bytes, int offset, int length, long line, long column) {
        try (JsonParser p = factory.createParser(bytes, offset, length)) {
            return build(p, line, column);
        } catch (JsonProcessingException e) {
            return new Problem(SafeJson.describe(e, line, column));
        } catch (IOException e) {
            return new Problem("line " + line + ": not UTF-8 text");
        }
    }

    private Result build(JsonParser p, long line, long column) throws IOException {
        JsonToken first = p.nextToken();
        if (first != JsonToken.START_OBJECT) {
            return first == null ? new Problem(at(p, line, column) + "no JSON value") : new NotAnObject(describe(first));
        }
        ObjectNode root = NODES.objectNode();
        ArrayDeque<ContainerNode<?>> open = new ArrayDeque<>();
        open.push(root);
        String name = null;
        while (!open.isEmpty()) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return new Problem(at(p, line, column) + "not valid JSON (the input ends inside a value)");
            }
            ContainerNode<?> parent = open.peek();
            JsonNode value;
            switch (t) {
                case FIELD_NAME -> {
                    name = p.currentName();
                    if (((ObjectNode) parent).has(name)) {
                        return new Problem(at(p, line, column) + "duplicate field"
                                + (SafeJson.isShowableName(name) ? " \"" + name + "\"" : ""));
                    }
                    continue;
                }
                case END_OBJECT, END_ARRAY -> {
                    open.pop();
                    continue;
                }
                case START_OBJECT, START_ARRAY -> {
                    if (open.size() >= maxDepth) {
                        return new Problem(at(p, line, column) + "nested deeper than " + maxDepth + " levels");
                    }
                    value = t == JsonToken.START_OBJECT ? NODES.objectNode() : NODES.arrayNode();
                }
                case VALUE_STRING -> value = NODES.textNode(p.getText());
                case VALUE_NUMBER_INT -> value = switch (p.getNumberType()) {
                    case INT -> NODES.numberNode(p.getIntValue());
                    case LONG -> NODES.numberNode(p.getLongValue());
                    default -> NODES.numberNode(p.getBigIntegerValue());
                };
                case VALUE_NUMBER_FLOAT -> value = NODES.numberNode(p.getDecimalValue());
                case VALUE_TRUE -> value = NODES.booleanNode(true);
                case VALUE_FALSE -> value = NODES.booleanNode(false);
                case VALUE_NULL -> value = NODES.nullNode();
                default -> throw new IllegalStateException("unexpected token " + t);
            }
            if (parent instanceof ObjectNode o) {
                o.set(name, value);
            } else {
                ((ArrayNode) parent).add(value);
            }
            if (value instanceof ContainerNode<?> c) {
                open.push(c);
            }
        }
        if (p.nextToken() != null) {
            return new Problem(at(p, line, column) + "unexpected data after the event");
        }
        return new Parsed(root);
    }

    /** {@code line 3, column 9, at content.body: } for the token just read. */
    private static String at(JsonParser p, long line, long column) {
        JsonLocation loc = p.currentTokenLocation();
        StringBuilder s = new StringBuilder("line ").append(line + loc.getLineNr() - 1).append(", column ")
                .append(loc.getLineNr() == 1 ? column + loc.getColumnNr() - 1 : loc.getColumnNr());
        String path = SafeJson.path(p.getParsingContext());
        if (path != null) {
            s.append(", at ").append(path);
        }
        return s.append(": ").toString();
    }

    private static String describe(JsonToken t) {
        return switch (t) {
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> "not an object";
        };
    }
}
