package org.panolm.backup;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The Jackson mapper of this package: configured once, thread-safe. */
final class BackupJson {
    private BackupJson() {}

    static final ObjectMapper MAPPER = new ObjectMapper();
}
