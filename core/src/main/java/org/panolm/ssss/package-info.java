/**
 * Secret storage, {@code m.secret_storage.v1.aes-hmac-sha2} (docs/formats.md §5): keys ({@link
 * org.panolm.ssss.SecretStorageKey}, made at random or from a Security Phrase), their account-data
 * descriptions with the key check, encrypted secrets ({@code m.megolm_backup.v1}, the three cross-signing
 * keys, or any other), the default-key event, and a reader for account data as clients hold it.
 *
 * <p>Typical use, restoring from what the server holds:
 * <pre>{@code
 * var data = SecretStorageAccountData.read(in);
 * var def = data.defaultKey();
 * try (SecretStorageKey key = def.getValue().unlock(securityKeyText, def.getKey())) {
 *     byte[] backupKey = SecretStorage.decryptPrivateKey(key, SecretName.MEGOLM_BACKUP_V1,
 *             data.secret(SecretName.MEGOLM_BACKUP_V1).orElseThrow().forKey(def.getKey()).orElseThrow());
 * }
 * }</pre>
 * The cryptography runs natively (libpanolm {@code ssss.c}); base64 is accepted padded or unpadded and
 * written unpadded.
 */
@NullMarked
package org.panolm.ssss;

import org.jspecify.annotations.NullMarked;
