/**
 * The {@code /sync} loop: it feeds the engine ({@code org.panolm.engine.OlmMachine}) what the homeserver says and
 * sends what the engine asks for, once or until stopped, resuming from the token the engine's store keeps.
 */
@NullMarked
package org.panolm.client.sync;

import org.jspecify.annotations.NullMarked;
