package org.panolm.verification;

/** Where an outgoing verification event goes: some of the other user's devices (to-device), or the room. */
public sealed interface Recipient {
    /**
     * One device of the other user.
     *
     * @param deviceId the device id
     */
    record Device(String deviceId) implements Recipient {}

    /** Every device of the other user (a request, before one of them answers). */
    record AllDevices() implements Recipient {}

    /**
     * Every device of the other user except the one that answered (the {@code m.accepted} cancellation).
     *
     * @param deviceId the device that answered
     */
    record AllDevicesExcept(String deviceId) implements Recipient {}

    /** The room of an in-room verification (the DM with the other user). */
    record Room() implements Recipient {}
}
