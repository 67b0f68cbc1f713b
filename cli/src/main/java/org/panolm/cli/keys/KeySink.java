package org.panolm.cli.keys;

import org.panolm.export.ExportedRoomKey;
import org.panolm.megolm.KeyProvenance;

/** Receives the room keys read from key files, one at a time, and the entries that could not be used. */
public interface KeySink {
    /**
     * @param key        a key (null when the entry is not a key object)
     * @param provenance where it came from: the file (with the file's own claim, if any) or the backup
     * @param where      names the key for messages
     */
    void key(ExportedRoomKey key, KeyProvenance provenance, String where);

    /** An entry that could not be read or decrypted; {@code why} never contains key material. */
    void rejected(String where, String why);
}
