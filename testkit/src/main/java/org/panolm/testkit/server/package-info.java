/**
 * The test homeserver's state and endpoints, one class per family. Internal to the testkit: its API is {@link org.panolm.testkit.TestHomeserver} and the types beside it.
 */
package org.panolm.testkit.server;
