package org.panolm.engine.store;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** Inserts {@code count} room keys in transactions of 10,000, then streams them and prints "inserted streamed". */
public final class MillionKeysChild {
    private MillionKeysChild() {}

    public static void main(String[] args) {
        byte[] key = new byte[32];
        long count = Long.parseLong(args[1]);
        long started = System.nanoTime();
        try (var store = SqliteCryptoStore.open(Path.of(args[0]), StoreKey.of(key))) {
            for (long done = 0; done < count; done += 10_000) {
                long from = done;
                store.transaction(tx -> {
                    for (long n = from; n < Math.min(count, from + 10_000); n++) tx.addRoomKey(TestKeys.roomKey(5, n));
                    return null;
                });
            }
            long inserted = store.transaction(StoreTransaction::roomKeyCount);
            long insertMillis = (System.nanoTime() - started) / 1_000_000;
            AtomicLong streamed = new AtomicLong();
            store.transaction(tx -> {
                tx.forEachRoomKey(k -> streamed.incrementAndGet());
                return null;
            });
            System.out.println("insert " + insertMillis + " ms, total " + (System.nanoTime() - started) / 1_000_000 + " ms");
            System.out.println(inserted + " " + streamed.get());
        }
    }
}
