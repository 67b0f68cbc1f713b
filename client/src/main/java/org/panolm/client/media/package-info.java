/**
 * Encrypted attachments (the spec's {@code EncryptedFile}: AES-256-CTR, a JSON Web Key, the SHA-256 of the
 * ciphertext), streamed in bounded memory, and media upload and authenticated download.
 */
@NullMarked
package org.panolm.client.media;

import org.jspecify.annotations.NullMarked;
