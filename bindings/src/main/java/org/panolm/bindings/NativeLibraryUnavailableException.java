package org.panolm.bindings;

/** A native library panolm needs could not be loaded; the message says what to install. */
public final class NativeLibraryUnavailableException extends RuntimeException {
    /**
     * Says that a library could not be loaded.
     *
     * @param message what is missing and how to get it
     * @param cause the loader's failure, or null
     */
    public NativeLibraryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
