/**
 * Server-side key backup, {@code m.megolm_backup.v1.curve25519-aes-sha2}: the backup key pair, the JSON of
 * the {@code /room_keys} API, batch encryption for uploads and batch decryption for restores, and signing
 * and checking the backup version's {@code auth_data}.
 *
 * <p><b>Legacy scheme.</b> The algorithm is libolm's "PK encryption", kept byte-compatible with libolm,
 * vodozemac and Element including its flaw: the MAC is an HMAC of the empty string, so it authenticates
 * nothing about the ciphertext, and anyone who knows the public key (the homeserver included) can add
 * well-formed entries. Sessions restored from a backup therefore carry the provenance
 * {@link org.panolm.megolm.KeyProvenance.RestoredFromBackup} (never authenticated), and a restored copy only
 * merges into a copy already held when their ratchets connect; otherwise both are kept (see
 * {@link org.panolm.keystore.MergeRule} and {@link org.panolm.keystore.SessionCopies}).
 */
@NullMarked
package org.panolm.backup;

import org.jspecify.annotations.NullMarked;
