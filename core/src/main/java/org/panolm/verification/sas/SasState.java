package org.panolm.verification.sas;

/** Where a verification flow is: SAS, or a QR code shown or scanned after the same request and ready. */
public enum SasState {
    /** A request was sent or received; no device has answered it yet. */
    REQUESTED,
    /** Both sides are ready; either may start SAS. */
    READY,
    /** We sent {@code start} and wait for {@code accept}. */
    STARTED,
    /** {@code start} and {@code accept} are exchanged; ephemeral keys are being exchanged. */
    ACCEPTED,
    /** Both ephemeral keys are known: the short authentication string can be shown. */
    KEYS_EXCHANGED,
    /** Our user confirmed the string and our MAC was sent; waiting for the other side. */
    CONFIRMED,
    /** Both MACs are verified and {@code done} was sent; waiting for the other side's {@code done}. */
    WAITING_FOR_DONE,
    /** We scanned the other device's QR code, found it matches, and sent {@code m.reciprocate.v1}; waiting for its {@code done}. */
    QR_SCANNED,
    /** The other device scanned our QR code (its secret matches): our user confirms it did, then {@code done} goes out. */
    QR_RECIPROCATED,
    /** The other side's keys are verified and both sides sent {@code done}. */
    DONE,
    /** Ended without success; see the cancellation. */
    CANCELLED
}
