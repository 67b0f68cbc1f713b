package org.panolm.cli.history;

import org.panolm.cli.keys.KeyRing;

/** Entry point for other commands (the demo, the bench) to the history decryptor over panolm's Megolm engine. */
public final class MegolmHistory {
    private MegolmHistory() {}

    /** A batch decryptor over {@code keys}; close it to free its native batch memory. */
    public static Decryptor decryptor(KeyRing keys, int threads, int batchSize) {
        return new Decryptor(new MegolmBatchDecryptor(keys, threads, batchSize));
    }

    /** A closable {@link BatchDecryptor}. */
    public static final class Decryptor implements BatchDecryptor, AutoCloseable {
        private final MegolmBatchDecryptor inner;

        private Decryptor(MegolmBatchDecryptor inner) {
            this.inner = inner;
        }

        @Override
        public void decrypt(java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> events,
                            java.util.List<Outcome> results) {
            inner.decrypt(events, results);
        }

        @Override
        public Pending start(java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> events) {
            return inner.start(events);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
