package org.panolm.export;

import java.nio.charset.StandardCharsets;

/** The text lines around the base64 body of an export file (docs/formats.md §6.2). */
final class ExportArmor {
    private ExportArmor() {}

    static final String HEADER = "-----BEGIN MEGOLM SESSION DATA-----";
    static final String FOOTER = "-----END MEGOLM SESSION DATA-----";
    static final byte[] HEADER_BYTES = HEADER.getBytes(StandardCharsets.US_ASCII);
    static final byte[] FOOTER_BYTES = FOOTER.getBytes(StandardCharsets.US_ASCII);
    /** Element encodes the body 96 bytes at a time: 128-character lines, padding only on the last. */
    static final int LINE_BYTES = 96;
}
