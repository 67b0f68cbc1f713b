/**
 * panolm's end-to-end-encryption engine of one device, sans I/O ({@code org.panolm.engine}), on an encrypted
 * SQLite store ({@code org.panolm.engine.store}). JSON crosses the API as text; Jackson is an implementation detail
 * (no exported signature mentions it: ExportedApiTest checks). {@code org.panolm.engine.internal} holds Jackson-tree
 * fast paths for panolm's own modules only.
 */
@SuppressWarnings("module") // qualified exports name modules built after this one
module org.panolm.engine {
    // The API speaks core's types (identity keys, trust, room keys, provenance, passphrases).
    requires transitive org.panolm.core;
    requires com.fasterxml.jackson.databind;
    requires java.sql;
    // The JDBC driver the store opens (found by DriverManager through its service).
    requires org.xerial.sqlitejdbc;

    exports org.panolm.engine;
    exports org.panolm.engine.store;

    exports org.panolm.engine.internal to org.panolm.client;

    // The store's records are bound by Jackson.
    opens org.panolm.engine.store to com.fasterxml.jackson.databind;
}
