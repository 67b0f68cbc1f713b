/**
 * panolm's Matrix homeserver client over {@code java.net.http}: login and requests ({@code org.panolm.client}), the
 * {@code /sync} loop that drives the engine ({@code .sync}), this device ({@code .device}), Secure Backup
 * ({@code .backup}) and encrypted attachments ({@code .media}). JSON crosses the API as text, records and maps;
 * Jackson is an implementation detail (no exported signature mentions it: ExportedApiTest checks), and
 * {@code org.panolm.client.internal} is not exported.
 */
module org.panolm.client {
    // The API speaks core's types (keys, backup versions, secrets) and the engine's (the sync loop drives it).
    requires transitive org.panolm.core;
    requires transitive org.panolm.engine;
    // HttpRequest.BodyPublisher is in HomeserverClient.sendRaw's signature.
    requires transitive java.net.http;
    requires com.fasterxml.jackson.databind;

    exports org.panolm.client;
    exports org.panolm.client.backup;
    exports org.panolm.client.device;
    exports org.panolm.client.media;
    exports org.panolm.client.sync;

    // Records Jackson binds (whoami, the attachment's file and key); records a caller's get/post binds must be
    // opened by the caller's own module.
    opens org.panolm.client to com.fasterxml.jackson.databind;
    opens org.panolm.client.media to com.fasterxml.jackson.databind;
}
