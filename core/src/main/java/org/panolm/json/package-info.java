/**
 * Matrix canonical JSON and signed JSON (docs/formats.md §8.1, §8.2): the bytes every Ed25519 signature in the
 * protocol covers — device keys, cross-signing keys, backup {@code auth_data}, one-time keys.
 */
@NullMarked
package org.panolm.json;

import org.jspecify.annotations.NullMarked;
