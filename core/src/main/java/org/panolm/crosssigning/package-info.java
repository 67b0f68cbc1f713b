/**
 * Cross-signing (docs/formats.md §8.3): the master, self-signing and user-signing keys, the key objects uploaded
 * and queried, the signature chains that connect devices and users, and whether a key backup is trusted.
 */
package org.panolm.crosssigning;
