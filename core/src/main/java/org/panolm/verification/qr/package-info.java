/**
 * QR-code verification (docs/formats.md §9.2): the binary payload and the checks both sides make. Rendering the
 * payload as an image is left to the application.
 */
@NullMarked
package org.panolm.verification.qr;

import org.jspecify.annotations.NullMarked;
