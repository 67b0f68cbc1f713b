package org.panolm.benchmarks.olm;

import java.util.SplittableRandom;

import org.panolm.benchmarks.libolm.LibolmOlm;
import org.panolm.olm.Account;
import org.panolm.olm.OlmMessage;
import org.panolm.olm.Session;

/** The Olm implementations under benchmark: panolm's native one and libolm (through FFM). */
public enum OlmImpl {
    PANOLM {
        @Override
        Conversation open(int maxPlaintext) {
            return new Conversation() {
                final Account alice = Account.create();
                final Account bob = Account.create();
                Session out;
                Session in;

                {
                    bob.generateFallbackKey();
                    out = Session.createOutbound(alice, bob.identityKeys().curve25519(), bob.fallbackKey().orElseThrow().publicKey());
                    OlmMessage first = out.encrypt(new byte[] {1});
                    in = Session.createInbound(bob, first);
                    in.decrypt(first);
                    out.decrypt(in.encrypt(new byte[] {2}));
                }

                @Override
                public Object encrypt(byte[] plaintext) {
                    return out.encrypt(plaintext);
                }

                @Override
                public byte[] decrypt(Object message) {
                    return in.decrypt((OlmMessage) message);
                }

                @Override
                public byte[] newSession(byte[] plaintext) {
                    try (Session o = Session.createOutbound(alice, bob.identityKeys().curve25519(),
                            bob.fallbackKey().orElseThrow().publicKey())) {
                        OlmMessage m = o.encrypt(plaintext);
                        try (Session i = Session.createInbound(bob, m)) {
                            return i.decrypt(m);
                        }
                    }
                }

                @Override
                public void close() {
                    out.close();
                    in.close();
                    alice.close();
                    bob.close();
                }
            };
        }
    },
    LIBOLM {
        @Override
        Conversation open(int maxPlaintext) {
            return new Conversation() {
                final LibolmOlm.Account alice = new LibolmOlm.Account();
                final LibolmOlm.Account bob = new LibolmOlm.Account();
                LibolmOlm.Session out;
                LibolmOlm.Session in;

                {
                    out = LibolmOlm.Session.outbound(alice, bob.curve25519(), bob.fallbackKey(), maxPlaintext);
                    String first = out.encrypt(new byte[] {1});
                    in = LibolmOlm.Session.inbound(bob, first, maxPlaintext);
                    in.decrypt(0, first);
                    out.decrypt(1, in.encrypt(new byte[] {2}));
                }

                @Override
                public Object encrypt(byte[] plaintext) {
                    return out.encrypt(plaintext);
                }

                @Override
                public byte[] decrypt(Object message) {
                    return in.decrypt(1, (String) message);
                }

                @Override
                public byte[] newSession(byte[] plaintext) {
                    try (LibolmOlm.Session o = LibolmOlm.Session.outbound(alice, bob.curve25519(), bob.fallbackKey(),
                            maxPlaintext)) {
                        String m = o.encrypt(plaintext);
                        try (LibolmOlm.Session i = LibolmOlm.Session.inbound(bob, m, maxPlaintext)) {
                            return i.decrypt(0, m);
                        }
                    }
                }

                @Override
                public void close() {
                    out.close();
                    in.close();
                    alice.close();
                    bob.close();
                }
            };
        }
    };

    /** Alice and Bob with an established session (each has heard from the other), in one implementation. */
    interface Conversation extends AutoCloseable {
        /** Alice's next message to Bob. */
        Object encrypt(byte[] plaintext);

        /** Bob decrypts it. */
        byte[] decrypt(Object message);

        /** A whole new session: Alice starts it from Bob's fallback key, Bob creates his side and decrypts. */
        byte[] newSession(byte[] plaintext);

        @Override
        void close();
    }

    abstract Conversation open(int maxPlaintext);

    static byte[] plaintext(int size) {
        byte[] p = new byte[size];
        new SplittableRandom(size).nextBytes(p);
        return p;
    }
}
