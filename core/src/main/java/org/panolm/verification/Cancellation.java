package org.panolm.verification;

/**
 * Why a verification ended without success. {@code code} is the wire code (a peer may send codes this
 * library does not know); {@code byUs} says which side cancelled.
 */
public record Cancellation(String code, String reason, boolean byUs) {
    /** The known code, if it is one of the spec's. */
    public java.util.Optional<CancelCode> knownCode() {
        return CancelCode.fromCode(code);
    }
}
