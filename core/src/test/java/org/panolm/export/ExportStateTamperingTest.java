package org.panolm.export;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.junit.jupiter.api.Test;
import org.panolm.Status;
import org.panolm.bindings.panolm_secrets_h;

/**
 * The export cipher's state lives in caller memory and holds indices the library steers by (how much of the
 * last keystream block is used, how many bytes each SHA-256 context has buffered). A state damaged by its
 * caller, by a bug or by another thread, must be refused, not followed: before each call copied the state in
 * and checked it, a damaged buffer count sent OpenSSL's SHA-256 writing far past the state (a SIGSEGV).
 */
class ExportStateTamperingTest {
    private static final long STATE = panolm_secrets_h.panolm_export_state_size();

    @Test
    void aDamagedExportStateIsRefusedNotFollowed() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(37);
            header.set(JAVA_BYTE, 0, (byte) 1);
            header.set(JAVA_BYTE, 36, (byte) 10);   // 10 rounds
            MemorySegment pass = arena.allocateFrom("pass");
            MemorySegment data = arena.allocate(4096);
            MemorySegment mac = arena.allocate(32);
            for (int call = 0; call < 6; call++) {
                MemorySegment state = arena.allocate(STATE, 16);
                assertEquals(0, panolm_secrets_h.panolm_export_init(state, pass, 4, header, 1000));
                if (call == 5) {
                    // After a verified MAC, so that decrypt would otherwise run.
                    assertEquals(0, panolm_secrets_h.panolm_export_mac_update(state, data, 0));
                }
                // Everything after the state's own magic and phase (its first 8 bytes), keys and indices alike.
                state.asSlice(8).fill((byte) 0x7F);
                int rc = switch (call) {
                    case 0 -> panolm_secrets_h.panolm_export_encrypt(state, data, 100, data);
                    case 1 -> panolm_secrets_h.panolm_export_mac_update(state, data, 100);
                    case 2 -> panolm_secrets_h.panolm_export_finish(state, mac);
                    case 3 -> panolm_secrets_h.panolm_export_verify(state, mac);
                    case 4 -> panolm_secrets_h.panolm_export_recheck(state, mac);
                    default -> panolm_secrets_h.panolm_export_decrypt(state, data, 100, data);
                };
                assertEquals(Status.INVALID_ARGUMENT.code(), rc, "call " + call);
                panolm_secrets_h.panolm_export_clear(state);
            }
        }
    }
}
