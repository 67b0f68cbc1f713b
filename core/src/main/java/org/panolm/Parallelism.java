package org.panolm;

import org.jspecify.annotations.Nullable;

/**
 * The one place panolm decides how many threads a bulk operation uses when the caller does not say: the system
 * property {@value #PROPERTY}, else the environment variable {@value #ENV}, else one per available processor.
 * Bulk Megolm decryption hands that count to libpanolm's own pool; backup encryption and restore run it as
 * Java threads (each calls libpanolm single-threaded, so the JSON work around the cryptography scales too).
 * No operation runs two pools at once.
 */
public final class Parallelism {
    private Parallelism() {}

    /** The system property that sets the default thread count. */
    public static final String PROPERTY = "panolm.threads";
    /** The environment variable that sets it when the property is absent. */
    public static final String ENV = "PANOLM_THREADS";

    /**
     * The default thread count: {@value #PROPERTY}, {@value #ENV}, or the available processors.
     *
     * @return at least 1
     * @throws PanolmException {@code INVALID_ARGUMENT} when the property or variable is set but is not a
     *         positive integer
     */
    public static int defaultThreads() {
        String p = System.getProperty(PROPERTY);
        if (p != null) return parse(p, "system property " + PROPERTY);
        String e = System.getenv(ENV);
        if (e != null) return parse(e, "environment variable " + ENV);
        return Runtime.getRuntime().availableProcessors();
    }

    /**
     * The thread count for a caller's request: the request when given, else {@link #defaultThreads()}.
     *
     * @param requested the caller's count (for example a CLI's {@code --threads}), or null
     * @return at least 1
     * @throws PanolmException {@code INVALID_ARGUMENT} when the request is below 1
     */
    public static int threads(@Nullable Integer requested) {
        if (requested == null) return defaultThreads();
        if (requested < 1) {
            throw new PanolmException(Status.INVALID_ARGUMENT, ErrorDetail.field("threads", "must be at least 1, not " + requested));
        }
        return requested;
    }

    static int parse(String value, String source) {
        try {
            int n = Integer.parseInt(value.strip());
            if (n >= 1) return n;
        } catch (NumberFormatException ignored) {
            // reported below, with the source named
        }
        throw new PanolmException(Status.INVALID_ARGUMENT, ErrorDetail.field(source, "must be a positive integer"));
    }
}
