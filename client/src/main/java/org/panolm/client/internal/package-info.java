/**
 * The client's Jackson mapper and the one place JSON text crosses its API (not exported).
 */
@NullMarked
package org.panolm.client.internal;

import org.jspecify.annotations.NullMarked;
