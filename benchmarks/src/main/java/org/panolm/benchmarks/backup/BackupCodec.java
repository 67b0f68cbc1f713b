package org.panolm.benchmarks.backup;

import org.panolm.backup.SessionData;
import org.panolm.export.ExportedRoomKey;

/**
 * One implementation of backing up a room key (key to {@code session_data}, JSON included) and restoring
 * it ({@code session_data} to key). Not thread-safe.
 */
public interface BackupCodec extends AutoCloseable {
    SessionData encrypt(ExportedRoomKey key) throws Exception;

    ExportedRoomKey decrypt(SessionData data) throws Exception;

    @Override
    void close();
}
