package org.panolm.verification.qr;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.verification.CancelCode;
import org.panolm.verification.sas.VerifiedKeys;

/** What checking a QR code (or its reciprocation) concluded. */
public sealed interface QrOutcome {
    /**
     * The keys are proven. For the scanner, {@code reply} is the {@code m.key.verification.start} content
     * with {@code m.reciprocate.v1} to send; for the displayer it is null (its user still confirms that the
     * other side scanned, then both send {@code done}).
     */
    record Verified(VerifiedKeys keys, ObjectNode reply) implements QrOutcome {
        public Verified {
            reply = reply == null ? null : reply.deepCopy();
        }
    }

    /** The code does not fit what we know: cancel the flow with {@code code}. */
    record Rejected(CancelCode code, String reason) implements QrOutcome {}
}
