/**
 * Errors as data: {@link org.panolm.PanolmException}, its {@link org.panolm.Status} and
 * {@link org.panolm.ErrorDetail}.
 */
@NullMarked
package org.panolm;

import org.jspecify.annotations.NullMarked;
