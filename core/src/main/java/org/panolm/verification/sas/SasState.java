package org.panolm.verification.sas;

/** Where an SAS verification is. */
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
    /** The other side's keys are verified and both sides sent {@code done}. */
    DONE,
    /** Ended without success; see the cancellation. */
    CANCELLED
}
