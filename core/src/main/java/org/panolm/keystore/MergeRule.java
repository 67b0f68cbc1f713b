package org.panolm.keystore;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.Objects;

import org.panolm.megolm.KeyProvenance;

/**
 * How two copies of one session compare, in the order the spec gives for key backups (E2E §Server-side key
 * backups): the authenticated copy first ({@link RoomKeyRecord#authenticated()}, the spec's
 * {@code is_verified}; among authenticated copies, one from a verified device first, as matrix-sdk-crypto
 * ranks sender data, see {@link KeyProvenance#trust()}), then the lower first message index, then the lower
 * forwarded count.
 *
 * <p>That order alone would let a forged copy (the right session id and signing key, index 0, a ratchet of
 * its own) replace a genuine one at a higher index. So a copy only ever stands in for another when their
 * ratchets connect ({@link org.panolm.megolm.ExportedSessionKey#connects}); then the two are one session
 * and are merged: the ratchet of the lower index (it decrypts more history, and from the other's index on
 * exactly the same), with the provenance and forwarded count of the copy that is better by authentication,
 * then forwarded count. A message's authenticity rests on the session's signing key, not on the ratchet, so
 * an authenticated provenance carries over to a connected ratchet. Copies that do not connect are kept side
 * by side ({@link SessionCopies}). On a complete tie the copy already held stays, so re-importing the same
 * key changes nothing.
 */
public final class MergeRule {
    private MergeRule() {}

    /** Orders better copies first: better trusted, then lower first index, then lower forwarded count. */
    public static final Comparator<RoomKeyRecord> BETTER_FIRST = (a, b) -> compare(
            rank(a), a.firstKnownIndex(), a.forwardedCount(), rank(b), b.firstKnownIndex(), b.forwardedCount());

    /**
     * Whether one copy is strictly better than another by {@link #BETTER_FIRST}.
     *
     * @param candidate the copy that might be better
     * @param than the copy it is compared with
     * @return true when {@code candidate} is strictly better
     */
    public static boolean isBetter(RoomKeyRecord candidate, RoomKeyRecord than) {
        return BETTER_FIRST.compare(candidate, than) < 0;
    }

    /**
     * True when the two copies are one session: same room, same session id, same claimed creator key, and
     * ratchets that connect.
     *
     * @param a one copy
     * @param b another
     * @return whether they are one session on one ratchet
     */
    public static boolean sameSession(RoomKeyRecord a, RoomKeyRecord b) {
        if (!a.ref().equals(b.ref()) || !Objects.equals(a.key().senderKey(), b.key().senderKey())) {
            return false;
        }
        // The common case, the same export again, needs no ratchet work (compared in constant time).
        if (MessageDigest.isEqual(a.key().sessionKey().getBytes(StandardCharsets.US_ASCII),
                b.key().sessionKey().getBytes(StandardCharsets.US_ASCII))) {
            return true;
        }
        return a.sessionKey().connects(b.sessionKey());
    }

    /**
     * Two copies of one session (they {@linkplain #sameSession connect}) as one: the lower index's ratchet,
     * the better-trusted copy's metadata.
     *
     * @param held the copy held
     * @param incoming a copy that connects to it
     * @return the merged copy; {@code held} itself when {@code incoming} adds nothing
     */
    public static RoomKeyRecord mergeConnected(RoomKeyRecord held, RoomKeyRecord incoming) {
        RoomKeyRecord ratchet = incoming.firstKnownIndex() < held.firstKnownIndex() ? incoming : held;
        int trust = compare(rank(incoming), 0, incoming.forwardedCount(), rank(held), 0, held.forwardedCount());
        RoomKeyRecord metadata = trust < 0 ? incoming : held;
        if (ratchet == held && metadata == held) {
            return held;
        }
        if (ratchet == metadata) {
            return ratchet;
        }
        return new RoomKeyRecord(metadata.key().withSessionKey(ratchet.key().sessionKey()), ratchet.firstKnownIndex(),
                metadata.provenance(), metadata.forwardedCount());
    }

    /** 0 for the best trusted (a verified sender), then 1 (authenticated), 2 (unauthenticated). */
    static int rank(RoomKeyRecord r) {
        return r.provenance().trust().ordinal();
    }

    static int rank(boolean authenticated, boolean senderVerified) {
        return (!authenticated ? KeyProvenance.Trust.UNAUTHENTICATED
                : senderVerified ? KeyProvenance.Trust.SENDER_VERIFIED : KeyProvenance.Trust.SENDER_AUTHENTICATED).ordinal();
    }

    /** Negative when copy a is better than copy b, zero on a tie. */
    static int compare(int rankA, long indexA, long forwardedA, int rankB, long indexB, long forwardedB) {
        int c = Integer.compare(rankA, rankB);
        if (c != 0) return c;
        c = Long.compare(indexA, indexB);
        if (c != 0) return c;
        return Long.compare(forwardedA, forwardedB);
    }
}
