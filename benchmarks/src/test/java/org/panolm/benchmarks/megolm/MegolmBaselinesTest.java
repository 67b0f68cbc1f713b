package org.panolm.benchmarks.megolm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

import org.panolm.benchmarks.libolm.LibolmInboundGroupSession;

/** The receivers and senders under benchmark agree with each other and with libolm, in every order. */
class MegolmBaselinesTest {
    @Test
    void everyReceiverDecryptsLibolmsMessagesInEitherOrder() throws Exception {
        MegolmCorpus.SessionMessages s = MegolmCorpus.session(64, 40);
        for (Decryptors impl : Decryptors.values()) {
            try (MessageDecryptor d = impl.open(s)) {
                for (Order order : Order.values()) {
                    d.reset();
                    for (int i = 0; i < 40; i++) {
                        int at = order.position(i, 40);
                        assertArrayEquals(s.plaintexts().get(at), d.decryptToBytes(s.base64Messages().get(at)),
                                impl + " " + order + " message " + at);
                    }
                }
            }
        }
    }

    @Test
    void libolmDecryptsEverySender() throws Exception {
        for (Encryptors impl : Encryptors.values()) {
            try (MessageEncryptor e = impl.open(4096);
                 var libolm = new LibolmInboundGroupSession(e.sessionKey(), 8192)) {
                for (int size : new int[] {64, 256, 4096}) {
                    byte[] p = MegolmCorpus.plaintext(size, size);
                    assertEquals(size, p.length);
                    assertArrayEquals(p, libolm.decryptToBytes(e.encryptToBytes(p)), impl + " " + size);
                }
            }
        }
    }

    @Test
    void panolmsBatchDecryptsAHistoryInEitherOrder() {
        for (Order order : Order.values()) {
            RoomHistory h = new RoomHistory(3, 20, 256, order);
            try (PanolmHistory p = new PanolmHistory(h, 2)) {
                p.prepare();
                assertEquals(60L * 256, p.decrypt());
                var r = p.results();
                for (int i = 0; i < h.entries.size(); i++) {
                    assertArrayEquals(h.entries.get(i).plaintext(), r.plaintextBytes(i), order + " message " + i);
                }
            }
        }
    }
}
