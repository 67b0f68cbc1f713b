package org.panolm.megolm;

import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A batch's bookkeeping of other session copies: per session slot, the copies to retry its failures with
 * (ratchets that do not connect to the slot's session); per message, which copy decided it. Kept apart
 * from {@link PreparedBatch} so the batch itself only hooks it in. Not thread-safe (the batch's rules).
 */
final class CopySlots {
    private MegolmInboundSession[][] alternates = new MegolmInboundSession[16][];
    private int max;
    /** Per message: 0 the slot's session decided; k > 0 alternate k decrypted it; -k: k alternates failed too. */
    private int[] outcome = new int[0];

    /** Gives {@code slot} its other copies, unless it has some already. */
    void set(int slot, MegolmInboundSession primary, List<MegolmInboundSession> others) {
        if (slot >= alternates.length) {
            alternates = Arrays.copyOf(alternates, Math.max(slot + 1, alternates.length * 2));
        }
        if (alternates[slot] != null || others.isEmpty()) return;
        MegolmInboundSession[] copies = others.stream()
                .filter(o -> o != null && o != primary && !o.isClosed()).toArray(MegolmInboundSession[]::new);
        if (copies.length > 0) {
            alternates[slot] = copies;
            max = Math.max(max, copies.length);
        }
    }

    /** The most copies any slot has; 0 when no retry can happen. */
    int max() {
        return max;
    }

    /** The other copies of a slot's session, or null. */
    MegolmInboundSession @Nullable [] of(int slot) {
        return slot >= 0 && slot < alternates.length ? alternates[slot] : null;
    }

    int outcome(int message) {
        return message < outcome.length ? outcome[message] : 0;
    }

    void outcome(int message, int value) {
        if (outcome.length <= message) {
            outcome = Arrays.copyOf(outcome, Math.max(16, Math.max(message + 1, outcome.length * 2)));
        }
        outcome[message] = value;
    }

    /** A message added at {@code message} starts undecided (no allocation). */
    void resetMessage(int message) {
        if (message < outcome.length) outcome[message] = 0;
    }

    /** Forgets everything (the batch was cleared or closed), keeping the arrays. */
    void clear() {
        Arrays.fill(alternates, null);
        Arrays.fill(outcome, 0);
        max = 0;
    }
}
