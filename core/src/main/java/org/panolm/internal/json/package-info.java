/**
 * Jackson-tree forms of canonical JSON, signed JSON and batch events: the single implementation behind the
 * text-speaking API of {@code org.panolm.json} and {@code PreparedBatch}, exported only to panolm's own
 * modules, which hold parsed trees and should not write them back to text.
 */
@NullMarked
package org.panolm.internal.json;

import org.jspecify.annotations.NullMarked;
