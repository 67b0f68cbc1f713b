/**
 * Raw primitives of libpanolm (OpenSSL and libsodium underneath), for the formats above and for
 * known-answer tests. Heap arrays are passed straight to native code (critical downcalls, no copy).
 * Use the format APIs instead where one exists.
 */
package org.panolm.subtle;
