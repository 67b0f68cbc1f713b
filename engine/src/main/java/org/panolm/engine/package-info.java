/**
 * panolm's end-to-end-encryption engine of one device, sans I/O: {@link org.panolm.engine.OlmMachine} takes sync
 * changes and server responses and hands out the requests to send; JSON crosses the API as text.
 */
@NullMarked
package org.panolm.engine;

import org.jspecify.annotations.NullMarked;
