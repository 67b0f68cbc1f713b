package org.panolm.backup;

import org.panolm.PanolmException;
import org.panolm.keystore.SessionRef;

/** A backed-up session that could not be restored, and why (the exception names the field that failed). */
public record RestoreFailure(SessionRef session, PanolmException error) {
}
