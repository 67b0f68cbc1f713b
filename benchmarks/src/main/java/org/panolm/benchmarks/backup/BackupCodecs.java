package org.panolm.benchmarks.backup;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.util.Base64;

import org.panolm.benchmarks.jdk.JdkBackup;
import org.panolm.benchmarks.jdk.JdkKeys;
import org.panolm.benchmarks.libolm.LibolmPkDecryption;
import org.panolm.benchmarks.libolm.LibolmPkEncryption;
import org.panolm.benchmarks.support.BackupCiphertext;

/** The backup implementations compared, set up for one corpus. */
public enum BackupCodecs {
    LIBOLM {
        @Override
        public BackupCodec open(BackupCorpus corpus) {
            var enc = new LibolmPkEncryption(corpus.publicKey, 1024);
            var dec = new LibolmPkDecryption(corpus.privateKey, 2048);
            int n = corpus.ciphertexts.size();
            // The server's strings as bytes, as a wrapper receives them from its JSON parser.
            byte[][] eph = new byte[n][];
            byte[][] mac = new byte[n][];
            byte[][] ct = new byte[n][];
            for (int i = 0; i < n; i++) {
                BackupCiphertext c = corpus.ciphertexts.get(i);
                eph[i] = c.ephemeral().getBytes(StandardCharsets.US_ASCII);
                mac[i] = c.mac().getBytes(StandardCharsets.US_ASCII);
                ct[i] = c.ciphertext().getBytes(StandardCharsets.US_ASCII);
            }
            return new BackupCodec() {
                public long encrypt(byte[] json) { return enc.encrypt(json); }
                public long decrypt(int i) { return dec.decrypt(eph[i], mac[i], ct[i]); }
                public BackupCiphertext encryptToParts(byte[] json) { return enc.encryptToParts(json); }
                public byte[] decryptToBytes(BackupCiphertext c) { return dec.decryptToBytes(c); }
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
                public long encrypt(byte[] json) throws Exception { return backup.encrypt(pub, json).ciphertext().length(); }
                public long decrypt(int i) throws Exception { return backup.decrypt(priv, corpus.ciphertexts.get(i)).length; }
                public BackupCiphertext encryptToParts(byte[] json) throws Exception { return backup.encrypt(pub, json); }
                public byte[] decryptToBytes(BackupCiphertext c) throws Exception { return backup.decrypt(priv, c); }
                public void close() {}
            };
        }
    };

    public abstract BackupCodec open(BackupCorpus corpus) throws Exception;
}
