package org.panolm.benchmarks.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupPublicKey;
import org.panolm.backup.RestoreResult;
import org.panolm.backup.SessionData;
import org.panolm.export.ExportedRoomKey;
import org.panolm.keystore.SessionFilter;

/** Every backup implementation under benchmark restores what every other one backed up. */
class BackupCodecsTest {
    @Test
    void everyCodecReadsEveryOthersBackups() throws Exception {
        BackupCorpus corpus = new BackupCorpus(4);
        Map<BackupCodecs, BackupCodec> codecs = new EnumMap<>(BackupCodecs.class);
        try {
            for (BackupCodecs c : BackupCodecs.values()) codecs.put(c, c.open(corpus));
            for (BackupCodec reader : codecs.values()) {
                for (int i = 0; i < 4; i++) {
                    assertEquals(corpus.keys.get(i).withRoomAndSession(null, null),
                            reader.decrypt(corpus.ciphertexts.get(i)));
                }
                for (BackupCodec writer : codecs.values()) {
                    ExportedRoomKey key = corpus.keys.get(2);
                    SessionData data = writer.encrypt(key);
                    assertEquals(key.withRoomAndSession(null, null), reader.decrypt(data));
                }
            }
        } finally {
            codecs.values().forEach(BackupCodec::close);
        }
    }

    @Test
    void panolmsBatchRestoresTheCorpusBody() {
        BackupCorpus corpus = new BackupCorpus(16);
        try (var key = BackupDecryptionKey.fromBytes(corpus.privateKey)) {
            RestoreResult r = key.decrypt(corpus.body(), SessionFilter.all(), 2);
            assertTrue(r.failures().isEmpty(), r.failures().toString());
            assertEquals(16, r.keys().size());
            RestoreResult again = key.decrypt(BackupPublicKey.fromBase64(corpus.publicKey).encrypt(corpus.records(), 2),
                    SessionFilter.all(), 1);
            assertEquals(16, again.keys().size());
        }
    }
}
