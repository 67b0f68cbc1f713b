package org.panolm.verification;

/**
 * Why a verification ended without success. {@code code} is the wire code (a peer may send codes this
 * library does not know); {@code byUs} says which side cancelled.
 *
 * @param code the wire code
 * @param reason the human-readable reason
 * @param byUs whether we cancelled
 */
public record Cancellation(String code, String reason, boolean byUs) {
    /**
     * The known code, if it is one of the spec's.
     *
     * @return the code, or empty for a code the spec does not define
     */
    public java.util.Optional<CancelCode> knownCode() {
        return CancelCode.fromCode(code);
    }
}
