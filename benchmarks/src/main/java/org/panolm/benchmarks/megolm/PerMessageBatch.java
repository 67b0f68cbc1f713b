package org.panolm.benchmarks.megolm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How a client without a batch API decrypts a room history on {@code threads} threads: one receiver
 * per session, sessions dealt out to threads, each thread calling its receivers one message at a time
 * in input order.
 */
final class PerMessageBatch implements AutoCloseable {
    private final List<MessageDecryptor> receivers = new ArrayList<>();
    private final List<List<RoomHistory.Entry>> partitions = new ArrayList<>();
    private final ExecutorService pool;

    PerMessageBatch(RoomHistory history, Decryptors impl, int threads) throws Exception {
        for (MegolmCorpus.SessionMessages s : history.sessions) receivers.add(impl.open(s));
        for (int t = 0; t < threads; t++) partitions.add(new ArrayList<>());
        for (RoomHistory.Entry e : history.entries) partitions.get(e.session() % threads).add(e);
        pool = threads > 1 ? Executors.newFixedThreadPool(threads) : null;
    }

    /** Back to freshly imported sessions, so every batch starts from the shared keys. */
    void reset() throws Exception {
        for (MessageDecryptor r : receivers) r.reset();
    }

    long decryptAll() throws Exception {
        if (pool == null) return run(partitions.get(0));
        List<Future<Long>> parts = new ArrayList<>();
        for (List<RoomHistory.Entry> p : partitions) parts.add(pool.submit(() -> run(p)));
        long total = 0;
        for (Future<Long> f : parts) total += f.get();
        return total;
    }

    private long run(List<RoomHistory.Entry> part) throws Exception {
        long total = 0;
        for (RoomHistory.Entry e : part) total += receivers.get(e.session()).decrypt(e.base64Message());
        return total;
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
        receivers.forEach(MessageDecryptor::close);
    }
}
