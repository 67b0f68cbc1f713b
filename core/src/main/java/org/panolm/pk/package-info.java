/**
 * Public-key primitives with libolm's shapes, on panolm's native code: {@link org.panolm.pk.PkEncryption} /
 * {@link org.panolm.pk.PkDecryption} (the legacy scheme of {@code m.megolm_backup.v1.curve25519-aes-sha2},
 * whose MAC authenticates neither the ciphertext nor the sender; the same code as
 * {@link org.panolm.backup}) and {@link org.panolm.pk.PkSigning} (Ed25519 from a seed, for cross-signing).
 * Lifecycle, thread-safety and errors as in {@link org.panolm.olm}.
 */
@NullMarked
package org.panolm.pk;

import org.jspecify.annotations.NullMarked;
