/**
 * A Matrix homeserver client over {@code java.net.http} (HTTP/2 where the server offers it): password login
 * and registration, whoami, logout, JSON as records, maps or JSON text, retries with backoff on {@code 429} and
 * {@code 5xx}, per-request timeouts and cancellation. The access token is sent in the {@code Authorization}
 * header only and never appears in a log record, an exception message or a {@code toString}.
 *
 * <p>{@link org.panolm.client.HomeserverClient} is the entry point; {@code org.panolm.client.backup} runs the
 * Secure Backup lifecycle over it and {@code org.panolm.client.media} encrypts and transfers attachments.
 */
@NullMarked
package org.panolm.client;

import org.jspecify.annotations.NullMarked;
