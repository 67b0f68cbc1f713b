package org.panolm.verification;

/** Where an outgoing to-device verification event goes, among the other user's devices. */
public sealed interface Recipient {
    /** One device of the other user. */
    record Device(String deviceId) implements Recipient {}

    /** Every device of the other user (a request, before one of them answers). */
    record AllDevices() implements Recipient {}

    /** Every device of the other user except the one that answered (the {@code m.accepted} cancellation). */
    record AllDevicesExcept(String deviceId) implements Recipient {}
}
