package org.panolm.hardening.fuzz;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.panolm.export.ExportedRoomKey;
import org.panolm.export.RoomKeyExport;
import org.panolm.keystore.SessionFilter;
import org.panolm.recovery.Passphrase;

/**
 * Room-key export files from anywhere, imported with the seeds' passphrase. Input: a style byte and the
 * binary body; the test caps the body's PBKDF2 rounds at 8 (so one input stays fast: the rounds limit has
 * its own tests) and armours it in a style the byte picks (line length, CRLF, blank lines, missing footer),
 * so the armour reader is fuzzed too. Outcomes: keys, or a clean refusal.
 */
class ExportFileFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void importBody(byte[] input) throws IOException {
        if (input.length < 1) return;
        int style = input[0] & 0xff;
        byte[] body = java.util.Arrays.copyOfRange(input, 1, input.length);
        if (body.length >= 37 && ((body[33] | body[34] | body[35]) != 0 || (body[36] & 0xff) > 8)) {
            body[33] = 0; body[34] = 0; body[35] = 0; body[36] = (byte) (1 + (body[36] & 7));
        }
        String b64 = Base64.getEncoder().encodeToString(body);
        int width = 16 + (style & 0x3f) * 4;
        String nl = (style & 0x40) != 0 ? "\r\n" : "\n";
        var text = new StringBuilder("-----BEGIN MEGOLM SESSION DATA-----").append(nl);
        for (int i = 0; i < b64.length(); i += width) {
            text.append(b64, i, Math.min(b64.length(), i + width)).append(nl);
            if ((style & 0x80) != 0 && i == 0) text.append(nl);
        }
        if ((style & 0x3f) != 0x3f) text.append("-----END MEGOLM SESSION DATA-----").append(nl);
        List<ExportedRoomKey> keys = new ArrayList<>();
        try (var passphrase = Passphrase.of("passphrase")) {
            FuzzChecks.refusesCleanly(() -> {
                try {
                    RoomKeyExport.importStream(new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.US_ASCII)),
                            passphrase, SessionFilter.all(), keys::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
