/**
 * Trust decisions from cross-signing state: which devices and users are verified, which verified identities
 * changed, and the green / red / black shield of a room.
 */
@NullMarked
package org.panolm.trust;

import org.jspecify.annotations.NullMarked;
