package org.panolm.cli.io;

/**
 * How large and how deep one event (a JSON Lines line, an array element, a room key) may be. Anything
 * larger or deeper is that item's error, reported with its position, and the rest of the input goes on;
 * with these bounds the memory a batch needs is bounded too, whatever the input holds.
 *
 * @param maxEventBytes the largest item, in bytes (Matrix itself caps an event at 64 KiB)
 * @param maxDepth      the deepest nesting of objects and arrays inside one item
 */
public record JsonLimits(int maxEventBytes, int maxDepth) {
    /** 1 MiB: sixteen times Matrix's own limit, for the {@code unsigned} data a server adds. */
    public static final int DEFAULT_MAX_EVENT_BYTES = 1 << 20;
    /** Events nest a handful of levels; this leaves room for any real one. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    public static final JsonLimits DEFAULT = new JsonLimits(DEFAULT_MAX_EVENT_BYTES, DEFAULT_MAX_DEPTH);

    public JsonLimits {
        if (maxEventBytes < 1024 || maxDepth < 2 || maxDepth > 10_000) {
            throw new IllegalArgumentException("limits out of range: " + maxEventBytes + " bytes, depth " + maxDepth);
        }
    }

    /** e.g. {@code 1 MiB}, {@code 300 KiB}, {@code 5000 bytes}. */
    public String describeSize() {
        if (maxEventBytes % (1 << 20) == 0) {
            return (maxEventBytes >> 20) + " MiB";
        }
        if (maxEventBytes % 1024 == 0) {
            return (maxEventBytes >> 10) + " KiB";
        }
        return maxEventBytes + " bytes";
    }
}
