package org.panolm.benchmarks.jdk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import org.panolm.benchmarks.libolm.LibolmInboundGroupSession;
import org.panolm.benchmarks.megolm.MegolmCorpus;
import org.panolm.benchmarks.megolm.Order;

/** The pure-JDK Megolm baseline must be a real Megolm: known answers, and libolm agreeing both ways. */
class JdkMegolmTest {
    private static final HexFormat HEX = HexFormat.of();

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void ratchetMatchesLibolmVectors() throws Exception {
        byte[] input = ascii("0123456789ABCDEF".repeat(8));
        JdkMegolmRatchet r = new JdkMegolmRatchet(input, 0);
        r.advance();
        assertEquals(1, r.counter());
        assertEquals("ba9cd955741d1c162323ec825e7c5ce889bbb423a18f23828fb2090d6e2af86a",
                HEX.formatHex(r.bytes(), 96, 128));
        r.advanceTo(0x1000000);
        assertEquals("54022d7dc0298e1637e21c97153092f933c056ff74fe1b922d971f2482c2859c"
                + "7004c01ee49bd6efe0073525af9b1632c5be726d12349cc5bd472bdc2df6540f"
                + "3112591194fda617e568c683101eaecd7eddd6de1fbc0767ae34da1a09a54eab"
                + "ba9cd955741d1c162323ec825e7c5ce889bbb423a18f23828fb2090d6e2af86a", HEX.formatHex(r.bytes()));
        r.advanceTo(0x1041506);
        assertEquals("54022d7dc0298e1637e21c97153092f933c056ff74fe1b922d971f2482c2859c"
                + "55588df5b7a48878428927868164589f3663447b51edc3595b036ca604c46dcd"
                + "5c54850bfa98a1fd79a9df1cbe8fc5681937d30c85c8c31f7bb828816cf9ff3b"
                + "956cbf807e65126a49558d45c84a2e4cd56f03e24416b98e1cfd97c206aa907a", HEX.formatHex(r.bytes()));
    }

    @Test
    void seekingEqualsSteppingAcrossPartBoundaries() throws Exception {
        byte[] input = new byte[128];
        for (int i = 0; i < 128; i++) input[i] = (byte) (i * 7);
        JdkMegolmRatchet stepped = new JdkMegolmRatchet(input, 0);
        for (int target : new int[] {1, 255, 256, 257, 1000, 65535, 65536, 65600}) {
            while (stepped.counter() < target) stepped.advance();
            JdkMegolmRatchet jumped = new JdkMegolmRatchet(input, 0);
            jumped.advanceTo(target);
            assertArrayEquals(stepped.bytes(), jumped.bytes(), "index " + target);
        }
    }

    @Test
    void decryptsLibolmsPublishedMessage() throws Exception {
        var session = new JdkInboundGroupSession("AgAAAAAwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMzQ1Njc4OUFCREVGMDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkRFRjAxMjM0NTY3ODlBQkNERUYwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMw0bdg1BDq4Px/slBow06q8n/B9WBfwWYyNOB8DlUmXGGwrFmaSb9bR/eY8xgERrxmP07hFmD9uqA2p8PMHdnV5ysmgufE6oLZ5+8/mWQOW3VVTnDIlnwd8oHUYRuk8TCQ");
        byte[] plain = session.decrypt(ascii("AwgAEhAcbh6UpbByoyZxufQ+h2B+8XHMjhR69G8F4+qjMaFlnIXusJZX3r8LnRORG9T3DXFdbVuvIWrLyRfm4i8QRbe8VPwGRFG57B1CtmxanuP8bHtnnYqlwPsD"));
        assertEquals("Message", new String(plain, StandardCharsets.UTF_8));
    }

    @Test
    void decryptsLibolmMessagesInEitherOrderAndRejectsTampering() throws Exception {
        var corpus = MegolmCorpus.session(256, 120);
        var session = new JdkInboundGroupSession(corpus.sessionKey());
        for (Order order : Order.values()) {
            session.reset();
            for (int i = 0; i < 120; i++) {
                int at = order.position(i, 120);
                assertArrayEquals(corpus.plaintexts().get(at), session.decrypt(corpus.base64Messages().get(at)));
            }
        }
        byte[] tampered = corpus.base64Messages().get(5).clone();
        tampered[20] = (byte) (tampered[20] == 'A' ? 'B' : 'A');
        assertThrows(GeneralSecurityException.class, () -> session.decrypt(tampered));
    }

    @Test
    void libolmDecryptsJdkMessages() throws Exception {
        var sender = new JdkOutboundGroupSession();
        String key = sender.sessionKey();
        try (var receiver = new LibolmInboundGroupSession(key, 4096)) {
            var jdkReceiver = new JdkInboundGroupSession(key);
            for (int i = 0; i < 20; i++) {
                byte[] plain = MegolmCorpus.plaintext(64 + 50 * i, i);
                byte[] message = sender.encrypt(plain);
                assertArrayEquals(plain, receiver.decryptToBytes(message));
                assertEquals(i, receiver.lastIndex());
                assertArrayEquals(plain, jdkReceiver.decrypt(message));
            }
        }
    }
}
