package org.panolm.hardening.fuzz;

import org.panolm.PanolmException;

/** The common property of every parser target: bad input ends as a {@link PanolmException}, nothing else. */
final class FuzzChecks {
    private FuzzChecks() {}

    /** Runs {@code parse}; a PanolmException is a clean refusal, any other exception is a finding. */
    static void refusesCleanly(Runnable parse) {
        try {
            parse.run();
        } catch (PanolmException refused) {
            if (refused.getMessage() == null || refused.status() == null) {
                throw new AssertionError("a refusal must say why", refused);
            }
        }
    }
}
