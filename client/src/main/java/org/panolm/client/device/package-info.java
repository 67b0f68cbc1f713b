/**
 * This device's identity on the homeserver: its Olm account's keys, published with {@code /keys/upload}, and
 * the signatures it makes.
 */
package org.panolm.client.device;
