package org.panolm.cli.io;

import java.io.IOException;

import org.panolm.cli.CliException;
import org.panolm.cli.Errors;

/**
 * Streams the elements of a JSON array of events: a whole array input, or the {@code chunk} of a
 * {@code /messages} response. Each element is cut out by {@link JsonScanner} (one element in memory at a
 * time, at most the maximum event size) and parsed on its own, so an element that is too large, too deep,
 * malformed inside or not an object is that element's error and the next one is read normally. Damage to
 * the array itself (a bracket that closes nothing, the input ending inside it, data after it) cannot be
 * stepped over and is fatal, naming the line and column.
 */
final class ElementReader implements EventReader {
    private final JsonScanner scanner;
    private final String name;
    private final JsonLimits limits;
    private final EventParser parser;
    private final String label;
    private final boolean insideMessagesResponse;
    private final JsonScanner.Value value = new JsonScanner.Value();
    private long ordinal;
    private boolean arrayEnded;
    private boolean done;

    /**
     * @param scanner just after the {@code [} of the array
     * @param label   what an element is called in messages ({@code element}, {@code chunk element}, {@code key})
     */
    ElementReader(JsonScanner scanner, String name, JsonLimits limits, String label, boolean insideMessagesResponse) {
        this.scanner = scanner;
        this.name = name;
        this.limits = limits;
        this.parser = new EventParser(limits);
        this.label = label;
        this.insideMessagesResponse = insideMessagesResponse;
    }

    @Override
    public InputEvent next() {
        if (done) {
            return null;
        }
        try {
            if (ordinal == 0 && !arrayEnded && scanner.peekSignificant() == ']') {
                scanner.nextSignificant();
                arrayEnded = true;
            }
            if (arrayEnded) {
                finish();
                return null;
            }
            scanner.readValue(value, limits.maxEventBytes(), limits.maxDepth());
            int separator = scanner.nextSignificant();
            if (separator == ']') {
                arrayEnded = true;
            } else if (separator != ',') {
                throw new JsonScanner.Damaged(separator < 0 ? "the input ends inside the array (truncated?)"
                        : "expected ',' or ']' after " + where(), scanner.line(), scanner.column());
            }
            return element();
        } catch (JsonScanner.Damaged d) {
            done = true;
            throw new CliException(name + " " + d.describe());
        } catch (IOException e) {
            done = true;
            throw new CliException("cannot read " + name + ": " + Errors.describe(e), e);
        }
    }

    private String where() {
        return label + " " + (ordinal + 1);
    }

    private InputEvent element() {
        String where = where();
        if (value.tooLarge) {
            return InputEvent.malformed(ordinal++, where, where + " (line " + value.line + ") is larger than "
                    + limits.describeSize() + " (the maximum size of one)");
        }
        if (value.tooDeep) {
            return InputEvent.malformed(ordinal++, where, where + " (line " + value.line + ") is nested deeper than "
                    + limits.maxDepth() + " levels");
        }
        return switch (parser.parse(value.bytes, 0, value.length, value.line, value.column)) {
            case EventParser.Parsed p -> InputEvent.of(ordinal++, where, p.event(), value.length);
            case EventParser.NotAnObject n -> InputEvent.malformed(ordinal++, where, where + " is " + n.what()
                    + ", not an object");
            case EventParser.Problem p -> InputEvent.malformed(ordinal++, where, where + ": " + p.message());
        };
    }

    /** Checks what follows the events array, so a damaged input is never mistaken for a whole one. */
    private void finish() throws IOException, JsonScanner.Damaged {
        done = true;
        if (insideMessagesResponse) {
            EventSource.finishMessagesResponse(scanner);
        }
        if (scanner.peekSignificant() >= 0) {
            throw scanner.damaged("unexpected data after the end of the "
                    + (insideMessagesResponse ? "/messages response" : "array"));
        }
    }

    @Override
    public void close() throws IOException {
        scanner.close();
    }
}
