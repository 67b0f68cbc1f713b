/**
 * Interactive verification (docs/formats.md §9): what both methods share — cancel codes, event types, identities
 * and beliefs about the other side. SAS lives in {@code sas}, QR codes in {@code qr}.
 */
@NullMarked
package org.panolm.verification;

import org.jspecify.annotations.NullMarked;
