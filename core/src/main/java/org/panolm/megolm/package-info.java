/**
 * Megolm group sessions on libpanolm: inbound and outbound sessions, and bulk decryption of
 * encrypted room events.
 */
@NullMarked
package org.panolm.megolm;

import org.jspecify.annotations.NullMarked;
