/**
 * Where room keys are kept: copies of a session, their provenance, and the key store file.
 */
@NullMarked
package org.panolm.keystore;

import org.jspecify.annotations.NullMarked;
