package org.panolm.benchmarks.megolm;

import org.panolm.benchmarks.jdk.JdkInboundGroupSession;
import org.panolm.benchmarks.libolm.LibolmInboundGroupSession;
import org.panolm.megolm.MegolmInboundSession;
import org.panolm.megolm.SessionKey;

/** The receivers compared, each importing the same session key. */
public enum Decryptors {
    PANOLM {
        @Override
        public MessageDecryptor open(MegolmCorpus.SessionMessages s) {
            SessionKey key = SessionKey.fromBase64(s.sessionKey());
            return new MessageDecryptor() {
                private MegolmInboundSession session = MegolmInboundSession.create(key);

                // Per message as libolm is called: no event id (no replay bookkeeping), no room check.
                public long decrypt(byte[] m) { return session.decrypt(m, null, null).plaintext().length; }
                public byte[] decryptToBytes(byte[] m) { return session.decrypt(m, null, null).plaintext(); }
                public void reset() {
                    session.close();
                    session = MegolmInboundSession.create(key);
                }
                public void close() { session.close(); }
            };
        }
    },
    LIBOLM {
        @Override
        public MessageDecryptor open(MegolmCorpus.SessionMessages s) {
            var session = new LibolmInboundGroupSession(s.sessionKey(), s.maxMessageLength());
            return new MessageDecryptor() {
                public long decrypt(byte[] m) { return session.decrypt(m); }
                public byte[] decryptToBytes(byte[] m) { return session.decryptToBytes(m); }
                public void reset() { session.reset(); }
                public void close() { session.close(); }
            };
        }
    },
    JDK {
        @Override
        public MessageDecryptor open(MegolmCorpus.SessionMessages s) throws Exception {
            var session = new JdkInboundGroupSession(s.sessionKey());
            return new MessageDecryptor() {
                public long decrypt(byte[] m) throws Exception { return session.decrypt(m).length; }
                public byte[] decryptToBytes(byte[] m) throws Exception { return session.decrypt(m); }
                public void reset() throws Exception { session.reset(); }
                public void close() {}
            };
        }
    };

    public abstract MessageDecryptor open(MegolmCorpus.SessionMessages s) throws Exception;
}
