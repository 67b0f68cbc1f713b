package org.panolm.export;

/**
 * How many room keys a file held and how many of them the filter passed on.
 *
 * @param read the room keys the file held
 * @param selected the room keys passed to the sink
 */
public record ImportSummary(long read, long selected) {
}
