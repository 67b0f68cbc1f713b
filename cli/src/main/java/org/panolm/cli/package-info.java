/** The panolm command line tool. */
package org.panolm.cli;
