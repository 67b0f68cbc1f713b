/**
 * panolm's public API: Matrix end-to-end encryption (Megolm, Olm, key backup, room-key export files,
 * secret storage, cross-signing, verification) over libpanolm. {@code org.panolm.internal} and the raw
 * primitives of {@code org.panolm.subtle} are exported only to panolm's own modules; the FFM bindings are not
 * part of the API. Packages whose records Jackson binds are opened to Jackson only. Every exported package is
 * {@code @NullMarked} (JSpecify): a type is non-null unless it says {@code @Nullable}.
 */
@SuppressWarnings("module") // qualified exports name modules built after this one
module org.panolm.core {
    requires org.panolm.bindings;
    // Nullness annotations on the API: callers compile against them, nothing needs them at run time.
    requires static transitive org.jspecify;
    // Jackson is an implementation detail: no exported signature mentions it (ExportedApiTest checks). The wire
    // records keep their Jackson annotations: a consumer compiling without Jackson is unaffected (javac
    // ignores annotation types it cannot find).
    requires com.fasterxml.jackson.databind;

    exports org.panolm;
    exports org.panolm.backup;
    exports org.panolm.crosssigning;
    exports org.panolm.encoding;
    exports org.panolm.export;
    exports org.panolm.json;
    exports org.panolm.keystore;
    exports org.panolm.megolm;
    exports org.panolm.olm;
    exports org.panolm.pk;
    exports org.panolm.recovery;
    exports org.panolm.ssss;
    exports org.panolm.trust;
    exports org.panolm.verification;
    exports org.panolm.verification.qr;
    exports org.panolm.verification.sas;

    exports org.panolm.internal to org.panolm.cli;
    // Jackson-tree fast paths (canonical JSON, signing, batch events) for panolm's own modules.
    exports org.panolm.internal.json to org.panolm.cli, org.panolm.engine, org.panolm.client, org.panolm.benchmarks;
    exports org.panolm.subtle to org.panolm.cli, org.panolm.engine, org.panolm.client;

    opens org.panolm.backup to com.fasterxml.jackson.databind;
    opens org.panolm.export to com.fasterxml.jackson.databind;
    opens org.panolm.keystore to com.fasterxml.jackson.databind;
    opens org.panolm.megolm to com.fasterxml.jackson.databind;
    opens org.panolm.recovery to com.fasterxml.jackson.databind;
    opens org.panolm.ssss to com.fasterxml.jackson.databind;
}
