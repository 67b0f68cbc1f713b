package org.panolm.verification.qr;

import org.jspecify.annotations.Nullable;
import org.panolm.verification.CancelCode;
import org.panolm.verification.sas.VerifiedKeys;

/** What checking a QR code (or its reciprocation) concluded. */
public sealed interface QrOutcome {
    /**
     * The keys are proven. For the scanner, {@code reply} is the {@code m.key.verification.start} content
     * with {@code m.reciprocate.v1} to send; for the displayer it is null (its user still confirms that the
     * other side scanned, then both send {@code done}).
     *
     * @param keys the keys the code proved
     * @param reply the start content to send as JSON text (scanner), or null (displayer)
     */
    record Verified(VerifiedKeys keys, @Nullable String reply) implements QrOutcome {}

    /**
     * The code does not fit what we know: cancel the flow with {@code code}.
     *
     * @param code the cancellation code
     * @param reason why, for the cancellation
     */
    record Rejected(CancelCode code, String reason) implements QrOutcome {}
}
