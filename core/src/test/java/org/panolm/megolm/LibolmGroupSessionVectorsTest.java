package org.panolm.megolm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.panolm.encoding.MatrixBase64;
import org.panolm.olm.OlmError;
import org.panolm.olm.OlmException;

/** Known answers of docs/formats.md §10.2: libolm's own test, matrix-js-sdk's test data, and a fixed-input vector. */
class LibolmGroupSessionVectorsTest {
    private static final String LIBOLM_SESSION_KEY = "AgAAAAAwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMzQ1Njc4OUFCREVGMDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkRFRjAxMjM0NTY3ODlBQkNERUYwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMw0bdg1BDq4Px/slBow06q8n/B9WBfwWYyNOB8DlUmXGGwrFmaSb9bR/eY8xgERrxmP07hFmD9uqA2p8PMHdnV5ysmgufE6oLZ5+8/mWQOW3VVTnDIlnwd8oHUYRuk8TCQ";
    private static final String LIBOLM_MESSAGE = "AwgAEhAcbh6UpbByoyZxufQ+h2B+8XHMjhR69G8F4+qjMaFlnIXusJZX3r8LnRORG9T3DXFdbVuvIWrLyRfm4i8QRbe8VPwGRFG57B1CtmxanuP8bHtnnYqlwPsD";
    private static final String LIBOLM_EXPORT = "AQAAAAAwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMzQ1Njc4OUFCREVGMDEyMzQ1Njc4OUFCQ0RFRjAxMjM0NTY3ODlBQkRFRjAxMjM0NTY3ODlBQkNERUYwMTIzNDU2Nzg5QUJERUYwMTIzNDU2Nzg5QUJDREVGMDEyMw0bdg1BDq4Px/slBow06q8n/B9WBfwWYyNOB8DlUmXG";

    private static final String JS_SDK_EXPORT = "AQAAAABXGO+Z9jlQJhIL6ByhXrv2BwCIxkhh7MXpKLsYmXkJcWrQlirmXmD79ga1zo+I4DCtEZzyGSpDWXBC6G7ez3H4gDMBam1RE3Jm5tc+oTlIri32UkYgSL0kBkcEnttqmIXBlK8tAfJo3cJnlh7F4ltEOAqrdME6dU0zXTkqXmURqYqXSOmbP+w8xUxIYgNohmjA3x5CGApXql0+i/uXtf3K";
    private static final String JS_SDK_MESSAGE = "AwgAEnAkBmciEAyhh1j6DCk29UXJ7kv/kvayUNfuNT0iAioLxcXjFXOZ5ho3jF1/wrytlt0Lb298uMM67OxdVMi+/mMfYpwlvi07P9cIH6CMSj8tyhYoWl0SrKY6tkPf5GWOlRSRRKbziXa96FHXvnA3V2FCAIGtAe3G4ei5RPbhkmKAFBLAen33/D6MjJVqU8Ojr5vTkgls5eyirarlVpsmnH06alDaxO8avrU0NL+Vsw26xvlUQgEMOnUJ";

    private static final String GEN_SESSION_KEY = "AgAAAAAAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9gYWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXp7fH1+fyFS+NGbeR0kRTJC4V8uq2y3z/p7al7TAJeWDgaYgdsSuA7zAAUZFvIWuCOkwQJk5/VyiH3ciwppF0TtiJp4yCWFxzJF3wFar7t10uQfwMElxx5jHuseFnlWqS0yWbOBCA";
    private static final String GEN_PLAINTEXT_0 = "{\"type\":\"m.room.message\",\"content\":{\"msgtype\":\"m.text\",\"body\":\"hi\"},\"room_id\":\"!r:x\"}";
    private static final String GEN_MESSAGE_0 = "AwgAEmBwzrEyOjKMvNnLBG+kZV4Luot5Vaokx/v1twxFzO4CW9aJR5cC+8g8R1fsRURFHMh8ZHGG8nd2uO00XIfXc6zWxjxvin7P8zhHZmXnhJq4uxGGT3G7UKk0tkaaKo7UfQnbztcu/ZtNrCWqwLEpYi/WTWVxEatapygGg/cUY3cMdm6sf0Vg1OzZX2byPZ5U5MKGM4RaV3Qjkn30sFVtH606JEsbGDBmeQU";
    private static final String GEN_MESSAGE_1 = "AwgBEhCMsXYE5QNbfsfG8dAjj6oMqT8a6PKaTGlfVzjMMLgRsn6HOHJ2pQ3eF03hRmOs6f72KZxJu9MpZCV8kY75k8wJUQ9EtUMzr8iignSRbN0DrK+vGMkQmHcL";
    private static final String GEN_EXPORT_1 = "AQAAAAEAAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAhIiMkJSYnKCkqKywtLi8wMTIzNDU2Nzg5Ojs8PT4/QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl9VB0TjNBFfof1z07cRdtQVcohjHLNwRaSf1izQYIyPXSFS+NGbeR0kRTJC4V8uq2y3z/p7al7TAJeWDgaYgdsS";

    private static byte[] b64(String s) {
        return MatrixBase64.decode(s, "vector");
    }

    @Test
    void libolmInboundExportImportVector() {
        try (InboundGroupSession in = InboundGroupSession.create(SessionKey.fromBase64(LIBOLM_SESSION_KEY))) {
            assertEquals("DRt2DUEOrg/H+yUGjDTqryf8H1YF/BZjI04HwOVSZcY", in.sessionId());
            DecryptedMessage m = in.decrypt(b64(LIBOLM_MESSAGE));
            assertEquals("Message", m.plaintextUtf8());
            assertEquals(0, m.messageIndex());
            assertEquals(LIBOLM_EXPORT, in.export(0).toBase64());
        }
        try (InboundGroupSession imported = InboundGroupSession.importSession(ExportedSessionKey.fromBase64(LIBOLM_EXPORT))) {
            assertEquals("Message", imported.decrypt(b64(LIBOLM_MESSAGE)).plaintextUtf8());
        }
    }

    @Test
    void jsSdkTestDataVector() {
        try (InboundGroupSession in = InboundGroupSession.importSession(ExportedSessionKey.fromBase64(JS_SDK_EXPORT))) {
            assertEquals("ipdI6Zs/7DzFTEhiA2iGaMDfHkIYCleqXT6L+5e1/co", in.sessionId());
            DecryptedMessage m = in.decrypt(b64(JS_SDK_MESSAGE));
            assertEquals("{\"content\":{\"body\":\"Hello world\",\"msgtype\":\"m.text\"},\"room_id\":\"!room:id\",\"type\":\"m.room.message\"}",
                    m.plaintextUtf8());
            assertEquals(0, m.messageIndex());
        }
        // A message of another session: its signature fails under this key.
        try (InboundGroupSession in = InboundGroupSession.importSession(ExportedSessionKey.fromBase64(JS_SDK_EXPORT))) {
            var e = assertThrows(OlmException.class, () -> in.decrypt(b64(LIBOLM_MESSAGE)));
            assertEquals(OlmError.BAD_SIGNATURE, e.error());
        }
    }

    /** Ed25519 seed 32 x 0x42, ratchet bytes 00..7F: encryption is deterministic, so every byte must match. */
    @Test
    void fixedInputVectorIsReproducedByteForByte() {
        byte[] random = new byte[160];
        for (int i = 0; i < 128; i++) random[i] = (byte) i;
        java.util.Arrays.fill(random, 128, 160, (byte) 0x42);
        try (OutboundGroupSession out = OutboundGroupSession.withRandom(random)) {
            assertEquals("IVL40Zt5HSRFMkLhXy6rbLfP+ntqXtMAl5YOBpiB2xI", out.sessionId());
            assertEquals(GEN_SESSION_KEY, out.sessionKey().toBase64());
            assertEquals(GEN_MESSAGE_0, MatrixBase64.encode(out.encrypt(GEN_PLAINTEXT_0.getBytes(StandardCharsets.UTF_8))));
            assertEquals(GEN_MESSAGE_1, MatrixBase64.encode(out.encrypt("hello".getBytes(StandardCharsets.UTF_8))));
        }
        try (InboundGroupSession in = InboundGroupSession.create(SessionKey.fromBase64(GEN_SESSION_KEY))) {
            assertEquals(GEN_PLAINTEXT_0, in.decrypt(b64(GEN_MESSAGE_0)).plaintextUtf8());
            DecryptedMessage second = in.decrypt(b64(GEN_MESSAGE_1));
            assertEquals("hello", second.plaintextUtf8());
            assertEquals(1, second.messageIndex());
            assertEquals(GEN_EXPORT_1, in.export(1).toBase64());
        }
    }
}
