package org.panolm.backup;

import org.panolm.keystore.RoomKeyRecord;

/**
 * Receives the outcome of each entry of a streamed restore
 * ({@link BackupDecryptionKey#restore(java.io.InputStream, org.panolm.keystore.SessionFilter, int,
 * org.panolm.megolm.KeyProvenance.RestoredFromBackup, RestoreSink)}), one call per entry, in the body's
 * order, on the thread that called the restore. Exactly one of the two methods is called per selected entry.
 */
public interface RestoreSink {
    /**
     * A session that decrypted and checked out.
     *
     * @param key the session, filed under its room and session id, with the backup as its provenance
     */
    void restored(RoomKeyRecord key);

    /**
     * An entry that could not be restored; the restore goes on with the next.
     *
     * @param failure which room, session and field, and why; never key material or the field's value
     */
    void failed(RestoreFailure failure);
}
