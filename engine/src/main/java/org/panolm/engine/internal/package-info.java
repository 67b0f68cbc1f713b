/**
 * Jackson-tree fast paths of the engine for panolm's own modules (exported to the client only; not API).
 */
@NullMarked
package org.panolm.engine.internal;

import org.jspecify.annotations.NullMarked;
