/**
 * Security Keys (recovery keys, base58) and Security Phrases.
 */
@NullMarked
package org.panolm.recovery;

import org.jspecify.annotations.NullMarked;
