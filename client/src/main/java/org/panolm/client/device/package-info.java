/**
 * This device's identity on the homeserver: its Olm account's keys, published with {@code /keys/upload}, and
 * the signatures it makes.
 */
@NullMarked
package org.panolm.client.device;

import org.jspecify.annotations.NullMarked;
