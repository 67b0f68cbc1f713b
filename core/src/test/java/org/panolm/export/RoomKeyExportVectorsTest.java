package org.panolm.export;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.panolm.export.RoomKeyExportException.Reason;
import org.panolm.recovery.Passphrase;
import org.panolm.keystore.SessionFilter;

/** Known answers: matrix-react-sdk's MegolmExportEncryption vectors and matrix-rust-sdk's TEST_EXPORT. */
class RoomKeyExportVectorsTest {
    @TempDir
    Path dir;

    record Vector(String plaintext, String passphrase, String body) {
        @Override
        public String toString() {
            return plaintext.length() > 16 ? plaintext.substring(0, 16) + "…" : plaintext;
        }
    }

    static List<Vector> element() {
        return List.of(
                new Vector("plain", "password",
                        "AXNhbHRzYWx0c2FsdHNhbHSIiIiIiIiIiIiIiIiIiIiIAAAACmIRUW2OjZ3L2l6j9h0lHlV3M2dx"
                                + "cissyYBxjsfsAndErh065A8="),
                new Vector("Hello, World", "betterpassword",
                        "AW1vcmVzYWx0bW9yZXNhbHT//////////wAAAAAAAAAAAAAD6KyBpe1Niv5M5NPm4ZATsJo5nghk"
                                + "KYu63a0YQ5DRhUWEKk7CcMkrKnAUiZny"),
                new Vector("alphanumerically".repeat(4), "SWORDFISH",
                        "AXllc3NhbHR5Z29vZG5lc3P//////////wAAAAAAAAAAAAAD6OIW+Je7gwvjd4kYrb+49gKCfExw"
                                + "MgJBMD4mrhLkmgAngwR1pHjbWXaoGybtiAYr0moQ93GrBQsCzPbvl82rZhaXO3iH5uHo/RCEpOqp"
                                + "Pgg29363BGR+/Ripq/VCLKGNbw=="),
                // All-0xFF IV: the low counter half wraps after one block; only WebCrypto's 64-bit counter
                // decrypts it.
                new Vector("alphanumerically".repeat(4), "password".repeat(32),
                        "Af//////////////////////////////////////////AAAD6IAZJy7IQ7Y0idqSw/bmpngEEVVh"
                                + "gsH+8ptgqxw6ZVWQnohr8JsuwH9SwGtiebZuBu5smPCO+RFVWH2cQYslZijXv/BEH/txvhUrrtCd"
                                + "bWnSXS9oymiqwUIGs08sXI33ZA=="));
    }

    private Path file(String text) throws IOException {
        Path f = Files.createTempFile(dir, "export", ".txt");
        Files.writeString(f, text, StandardCharsets.UTF_8);
        return f;
    }

    private static String armour(String body) {
        return "-----BEGIN MEGOLM SESSION DATA-----\n" + body + "\n-----END MEGOLM SESSION DATA-----\n";
    }

    private String decrypt(Path f, String passphrase) throws IOException {
        var out = new ByteArrayOutputStream();
        try (Passphrase p = Passphrase.of(passphrase)) {
            RoomKeyExport.decryptJson(f, p, out);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @MethodSource("element")
    void decryptsElementVectors(Vector v) throws IOException {
        assertEquals(v.plaintext(), decrypt(file(armour(v.body())), v.passphrase()));
    }

    @ParameterizedTest
    @MethodSource("element")
    void reproducesElementVectorsByteForByte(Vector v) throws IOException {
        byte[] body = Base64.getDecoder().decode(v.body());
        byte[] header = java.util.Arrays.copyOf(body, 37);
        var out = new ByteArrayOutputStream();
        try (Passphrase p = Passphrase.of(v.passphrase())) {
            RoomKeyExport.encryptBody(header, v.plaintext().getBytes(StandardCharsets.UTF_8), p, out);
        }
        // Element's armour: each 96-byte chunk of the body as a line of padded base64.
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < body.length; i += 96) {
            lines.add(Base64.getEncoder().encodeToString(java.util.Arrays.copyOfRange(body, i, Math.min(body.length, i + 96))));
        }
        assertEquals(armour(String.join("\n", lines)), out.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void fullCounterWouldNotDecryptVectorFour() {
        // Guards the test above: with a 128-bit counter the second block differs, so vector 4 proves the
        // 64-bit semantics rather than passing by chance.
        Vector v = element().get(3);
        byte[] body = Base64.getDecoder().decode(v.body());
        byte[] dk;
        try (Passphrase p = Passphrase.of(v.passphrase())) {
            dk = org.panolm.subtle.Kdf.pbkdf2Sha512(p.utf8Copy(), java.util.Arrays.copyOfRange(body, 1, 17), 1000, 64);
        }
        byte[] ct = java.util.Arrays.copyOfRange(body, 37, body.length - 32);
        byte[] full = org.panolm.subtle.Aes.ctr(java.util.Arrays.copyOf(dk, 32), java.util.Arrays.copyOfRange(body, 17, 33), ct);
        assertTrue(!new String(full, StandardCharsets.ISO_8859_1).equals(v.plaintext()));
    }

    @Test
    void errorVectors() throws IOException {
        assertReason(Reason.HEADER_NOT_FOUND, "-----");
        assertReason(Reason.FOOTER_NOT_FOUND, "-----BEGIN MEGOLM SESSION DATA-----\n-----");
        assertReason(Reason.TOO_SHORT, armour("AXNhbHRzYWx0c2FsdHNhbHSIiIiIiIiIiIiIiIiIiIiIAAAACmIRUW2OjZ3L2l6j9h0lHlV3M2dx"));
        assertReason(Reason.TOO_SHORT, armour("AXNhbHRz"));
        // Version 2 (first byte changed) is refused before any key derivation.
        assertReason(Reason.BAD_VERSION, armour("AnNhbHRzYWx0c2FsdHNhbHSIiIiIiIiIiIiIiIiIiIiIAAAACmIRUW2OjZ3L2l6j9h0lHlV3M2dx"
                + "cissyYBxjsfsAndErh065A8="));
        assertReason(Reason.BAD_BASE64, armour("AXNhbHRz*WFs"));
        assertReason(Reason.BAD_BASE64, armour("AXNhbHRzYWx0c2Fs=dHNh"));
        assertReason(Reason.BAD_BASE64, armour("AXNhbHRzYWx0c2FsdHNhbHSIiIiIiIiIiIiIiIiIiIiIAAAACmIRUW2OjZ3L2l6j9h0lHlV3M2dx"
                + "cissyYBxjsfsAndErh065A8==="));
        assertReason(Reason.FOOTER_NOT_FOUND, "-----BEGIN MEGOLM SESSION DATA-----\nAXNh\n-----END MEGOLM SESSION");
        assertReason(Reason.FOOTER_NOT_FOUND, "-----BEGIN MEGOLM SESSION DATA-----\nAXNh");
        // One bit flipped in the ciphertext, and a wrong passphrase: both fail the MAC.
        assertReason(Reason.WRONG_PASSPHRASE, armour("AXNhbHRzYWx0c2FsdHNhbHSIiIiIiIiIiIiIiIiIiIiIAAAACmIRUW2OjZ3L2l6j9h0lHlV3M2dy"
                + "cissyYBxjsfsAndErh065A8="));
        RoomKeyExportException wrong = assertThrows(RoomKeyExportException.class,
                () -> decrypt(file(armour(element().get(0).body())), "passw0rd"));
        assertEquals(Reason.WRONG_PASSPHRASE, wrong.reason());
        assertEquals(org.panolm.Status.BAD_MAC, wrong.status());
        assertTrue(!wrong.reason().isCorruption());
    }

    @Test
    void payloadThatIsNotAnArrayOfKeysIsReportedAfterTheMac() throws IOException {
        Vector v = element().get(0); // "plain": verifies, but is not JSON
        Path f = file(armour(v.body()));
        try (Passphrase p = Passphrase.of(v.passphrase())) {
            RoomKeyExportException e = assertThrows(RoomKeyExportException.class,
                    () -> RoomKeyExport.importFile(f, p, SessionFilter.all(), k -> { }));
            assertEquals(Reason.BAD_PAYLOAD, e.reason());
        }
    }

    private void assertReason(Reason reason, String text) throws IOException {
        Path f = file(text);
        RoomKeyExportException e = assertThrows(RoomKeyExportException.class, () -> decrypt(f, "password"));
        assertEquals(reason, e.reason(), e.getMessage());
    }

    @Test
    void toleratesLayouts() throws IOException {
        Vector v = element().get(2);
        String b = v.body();
        List<String> layouts = List.of(
                "-----BEGIN MEGOLM SESSION DATA-----" + b + "-----END MEGOLM SESSION DATA-----",
                "some text\r\n\r\n  -----BEGIN MEGOLM SESSION DATA-----\r\n" + b.substring(0, 50) + "\r\n  "
                        + b.substring(50) + "\r\n-----END MEGOLM SESSION DATA-----",
                armour(b.replace("=", "")),
                "\uFEFF" + armour(b),
                armour(String.join("\n", b.split("(?<=\\G.{7})"))));
        for (String text : layouts) {
            assertEquals(v.plaintext(), decrypt(file(text), v.passphrase()), text);
        }
    }

    static final String RUST_TEST_EXPORT = """
            -----BEGIN MEGOLM SESSION DATA-----
            Af7mGhlzQ+eGvHu93u0YXd3D/+vYMs3E7gQqOhuCtkvGAAAAASH7pEdWvFyAP1JUisAcpEo
            Xke2Q7Kr9hVl/SCc6jXBNeJCZcrUbUV4D/tRQIl3E9L4fOk928YI1J+3z96qiH0uE7hpsCI
            CkHKwjPU+0XTzFdIk1X8H7sZ+MD/2Sg/q3y8rtUjz7uEj4GUTnb+9SCOTVmJsRfqgUpM1CU
            bDLytHf1JkohY4tWEgpsCc67xdzgodjr12qYrfg/zNm3LGpxlrffJknw4rk5QFTj4kMbqbD
            ZZgDTni+HxRTDGge2J620lMOiznvXX+H09Rwruqx5aJvvaaKd86jWRpiO2oSFqHn4u5ONl9
            41uzm62Sj0eIm6ZbA9NQs87jQw4LxsejhZVL+NdjIg80zVSBTWhTdo0DTnbFSNP4ReOiz0U
            XosOF8A5T8Vdx2nvA0GXltfcHKVKQYh/LJAkNQ7P9UYL4ae/5TtQZkhB1KxCLTRWqADCl53
            uBMGpG53EMgY6G6K2DEIOkcv7sdXQF5WpemiSWZqJRWj+cjfs9BpCTbkp/rszWFl2TniWpR
            RqIbT2jORlN4rTvdtF0F4z1pqP4qWyR3sLNTkXm9CFRzWADNG0RDZKxbCoo6RPvtaCTfaHo
            SwfvzBS6CjfAG+FOugpV48o7+XetaUUPZ6/tZSPhCdeV8eP9q5r0QwWeXFogzoNzWt4HYx9
            MdXxzD+f0mtg5gzehrrEEARwI2bCvPpHxlt/Na9oW/GBpkjwR1LSKgg4CtpRyWngPjdEKpZ
            GYW19pdjg0qdXNk/eqZsQTsNWVo6A
            -----END MEGOLM SESSION DATA-----""";

    @Test
    void importsTheRustSdkExport() throws IOException {
        Path f = file(RUST_TEST_EXPORT);
        List<ExportedRoomKey> keys = new ArrayList<>();
        ImportSummary summary;
        try (Passphrase p = Passphrase.of("1234")) {
            summary = RoomKeyExport.importFile(f, p, SessionFilter.all(), keys::add);
        }
        assertEquals(new ImportSummary(1, 1), summary);
        ExportedRoomKey k = keys.get(0);
        assertEquals("!test:localhost", k.roomId());
        assertEquals("8sdNGgmLft8osylLK9ij3IotBLyQQufe/KngiW4Dpq0", k.sessionId());
        assertEquals("cKQkLU8izjY3tpLVPiR4PDeeCEKtaDiAGiQH+UbZm2w", k.senderKey());
        assertEquals(k.sessionId(), k.exportedSessionKey().sessionId());
        // Salt, IV and rounds as docs/formats.md §10.6 lists them.
        byte[] body = Base64.getDecoder().decode(RUST_TEST_EXPORT.lines().filter(l -> !l.startsWith("-----"))
                .reduce("", String::concat));
        assertArrayEquals(HexFormat.of().parseHex("fee61a197343e786bc7bbddeed185ddd"),
                java.util.Arrays.copyOfRange(body, 1, 17));
        assertArrayEquals(HexFormat.of().parseHex("c3ffebd832cdc4ee042a3a1b82b64bc6"),
                java.util.Arrays.copyOfRange(body, 17, 33));
        try (Passphrase p = Passphrase.of("1234")) {
            List<ExportedRoomKey> none = new ArrayList<>();
            assertEquals(new ImportSummary(1, 0),
                    RoomKeyExport.importStream(new ByteArrayInputStream(Files.readAllBytes(f)), p,
                            SessionFilter.rooms(java.util.Set.of("!other:localhost")), none::add));
            assertTrue(none.isEmpty());
            List<ExportedRoomKey> viaChannel = new ArrayList<>();
            try (var channel = Files.newByteChannel(f)) {
                assertEquals(new ImportSummary(1, 1), RoomKeyExport.importChannel(channel, p, SessionFilter.all(),
                        viaChannel::add));
                assertTrue(channel.isOpen());
            }
            assertEquals(keys, viaChannel);
        }
    }
}
