/**
 * Short authentication string verification ({@code m.sas.v1}, docs/formats.md §9.1): key agreement, the SAS bytes
 * and their emoji and decimal forms, the MACs, and the state machine over {@code m.key.verification.*} events.
 */
@NullMarked
package org.panolm.verification.sas;

import org.jspecify.annotations.NullMarked;
