package org.panolm.cli.keys;

import org.panolm.export.ExportedRoomKey;

/** Receives the room keys read from key files, one at a time, and the entries that could not be used. */
public interface KeySink {
    /** @param key a key (null when the entry is not a key object); {@code where} names it for messages */
    void key(ExportedRoomKey key, String where);

    /** An entry that could not be read or decrypted; {@code why} never contains key material. */
    void rejected(String where, String why);
}
