package org.panolm.export;

/** How many room keys a file held and how many of them the filter passed on. */
public record ImportSummary(long read, long selected) {
}
