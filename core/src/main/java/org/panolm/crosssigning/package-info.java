/**
 * Cross-signing (docs/formats.md §8.3): the master, self-signing and user-signing keys, the key objects uploaded
 * and queried, the signature chains that connect devices and users, and whether a key backup is trusted.
 */
@NullMarked
package org.panolm.crosssigning;

import org.jspecify.annotations.NullMarked;
