/**
 * Secure Backup over HTTP, the whole lifecycle: {@link org.panolm.client.backup.SecureBackup} sets it up
 * with a Security Key or a Security Phrase (secret storage, cross-signing, a signed backup version), unlocks
 * it on a new device, verifies that device, resets or deletes it; {@link org.panolm.client.backup.BackupUploader}
 * keeps it current in batches and stops when the server's version changes; {@link org.panolm.client.backup.BackupRestorer}
 * streams a restore in bounded memory and fetches single sessions on demand.
 */
@NullMarked
package org.panolm.client.backup;

import org.jspecify.annotations.NullMarked;
