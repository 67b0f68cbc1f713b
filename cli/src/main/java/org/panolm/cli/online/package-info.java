/**
 * The online commands: {@code panolm login}, {@code sync}, {@code logout} and {@code backup setup | status} (and the
 * online {@code backup restore}), on a device kept in an encrypted store on this machine.
 */
package org.panolm.cli.online;
