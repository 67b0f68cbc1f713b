package org.panolm.benchmarks.backup;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

import org.panolm.backup.BackupDecryptionKey;
import org.panolm.backup.BackupPublicKey;
import org.panolm.backup.SessionData;
import org.panolm.benchmarks.jdk.JdkBackup;
import org.panolm.benchmarks.jdk.JdkKeys;
import org.panolm.benchmarks.libolm.LibolmPkDecryption;
import org.panolm.benchmarks.libolm.LibolmPkEncryption;
import org.panolm.export.ExportedRoomKey;

/**
 * The backup implementations compared. Each does the whole per-key job a client does: JSON of the key,
 * encryption, base64 (and the reverse), so they differ only in the engine underneath.
 */
public enum BackupCodecs {
    PANOLM {
        @Override
        public BackupCodec open(BackupCorpus corpus) {
            BackupPublicKey pub = BackupPublicKey.fromBase64(corpus.publicKey);
            BackupDecryptionKey priv = BackupDecryptionKey.fromBytes(corpus.privateKey);
            return new BackupCodec() {
                public SessionData encrypt(ExportedRoomKey key) { return pub.encrypt(key); }
                public ExportedRoomKey decrypt(SessionData data) { return priv.decrypt(data); }
                public void close() { priv.close(); }
            };
        }
    },
    LIBOLM {
        @Override
        public BackupCodec open(BackupCorpus corpus) {
            var enc = new LibolmPkEncryption(corpus.publicKey, 2048);
            var dec = new LibolmPkDecryption(corpus.privateKey, 4096);
            return new BackupCodec() {
                public SessionData encrypt(ExportedRoomKey key) {
                    return enc.encryptToParts(BackupCorpus.backedUpJson(key));
                }

                public ExportedRoomKey decrypt(SessionData data) throws Exception {
                    return BackupCorpus.parse(dec.decryptToBytes(data));
                }

                public void close() {
                    enc.close();
                    dec.close();
                }
            };
        }
    },
    JDK {
        @Override
        public BackupCodec open(BackupCorpus corpus) throws Exception {
            JdkBackup backup = new JdkBackup();
            PublicKey pub = JdkKeys.x25519Public(Base64.getDecoder().decode(corpus.publicKey));
            PrivateKey priv = JdkKeys.x25519Private(corpus.privateKey);
            return new BackupCodec() {
                public SessionData encrypt(ExportedRoomKey key) throws Exception {
                    return backup.encrypt(pub, BackupCorpus.backedUpJson(key));
                }

                public ExportedRoomKey decrypt(SessionData data) throws Exception {
                    return BackupCorpus.parse(backup.decrypt(priv, data));
                }

                public void close() {}
            };
        }
    };

    public abstract BackupCodec open(BackupCorpus corpus) throws Exception;
}
