package org.panolm.backup;

import org.panolm.PanolmException;
import org.panolm.keystore.SessionRef;

/**
 * A backed-up session that could not be restored, and why (the exception names the field that failed).
 *
 * @param session the session
 * @param error why it failed
 */
public record RestoreFailure(SessionRef session, PanolmException error) {
}
