/**
 * Element's room-key export file ("Export E2E room keys", docs/formats.md §6), streamed both ways in bounded
 * memory: {@link org.panolm.export.RoomKeyExport} writes and reads files of any size one
 * {@link org.panolm.export.ExportedRoomKey} at a time, optionally limited to chosen rooms or sessions.
 * Reading checks the whole file's MAC before it decrypts anything; failures say precisely why
 * ({@link org.panolm.export.RoomKeyExportException.Reason}): a damaged file is told apart from a wrong
 * passphrase. The body crypto (PBKDF2-HMAC-SHA-512, AES-256-CTR with WebCrypto's 64-bit counter,
 * HMAC-SHA-256) runs natively in libpanolm ({@code export.c}).
 */
@NullMarked
package org.panolm.export;

import org.jspecify.annotations.NullMarked;
