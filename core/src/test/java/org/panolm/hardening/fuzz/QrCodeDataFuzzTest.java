package org.panolm.hardening.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.panolm.verification.qr.QrCodeData;

/** QR verification payloads scanned from another device's screen: decode what is well formed, exactly. */
class QrCodeDataFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) {
        FuzzChecks.refusesCleanly(() -> {
            QrCodeData qr = QrCodeData.decode(input);
            assertArrayEquals(input, qr.encode(), "what decodes encodes back to the same bytes");
        });
    }
}
