package org.panolm.backup;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.panolm.internal.SafeJson;

/** The Jackson mapper of this package: configured once, thread-safe. */
final class BackupJson {
    private BackupJson() {}

    static final ObjectMapper MAPPER = SafeJson.mapper();

    /** Where a read failed, without quoting the input. */
    static String describe(java.io.IOException e) {
        return e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? SafeJson.describe(j) : "not UTF-8 text";
    }
}
