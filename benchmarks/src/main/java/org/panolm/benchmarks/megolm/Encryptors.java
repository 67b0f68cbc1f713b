package org.panolm.benchmarks.megolm;

import org.panolm.benchmarks.jdk.JdkOutboundGroupSession;
import org.panolm.benchmarks.libolm.LibolmOutboundGroupSession;
import org.panolm.megolm.MegolmOutboundSession;

/** The senders compared. */
public enum Encryptors {
    PANOLM {
        @Override
        public MessageEncryptor open(int maxPlaintext) {
            var session = MegolmOutboundSession.create();
            return new MessageEncryptor() {
                public long encrypt(byte[] p) { return session.encryptToAscii(p).length; }
                public byte[] encryptToBytes(byte[] p) { return session.encryptToAscii(p); }
                public String sessionKey() { return session.sessionKey().toBase64(); }
                public void close() { session.close(); }
            };
        }
    },
    LIBOLM {
        @Override
        public MessageEncryptor open(int maxPlaintext) {
            var session = new LibolmOutboundGroupSession(maxPlaintext);
            return new MessageEncryptor() {
                public long encrypt(byte[] p) { return session.encrypt(p); }
                public byte[] encryptToBytes(byte[] p) { return session.encryptToBytes(p); }
                public String sessionKey() { return session.sessionKey(); }
                public void close() { session.close(); }
            };
        }
    },
    JDK {
        @Override
        public MessageEncryptor open(int maxPlaintext) throws Exception {
            var session = new JdkOutboundGroupSession();
            return new MessageEncryptor() {
                public long encrypt(byte[] p) throws Exception { return session.encrypt(p).length; }
                public byte[] encryptToBytes(byte[] p) throws Exception { return session.encrypt(p); }
                public String sessionKey() throws Exception { return session.sessionKey(); }
                public void close() {}
            };
        }
    };

    public abstract MessageEncryptor open(int maxPlaintext) throws Exception;
}
