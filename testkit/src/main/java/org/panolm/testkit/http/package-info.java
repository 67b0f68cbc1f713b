/**
 * The HTTP side of the test homeserver: every request checked against the spec, routed by operation id, every response checked. Internal to the testkit: its API is {@link org.panolm.testkit.TestHomeserver} and the types beside it.
 */
package org.panolm.testkit.http;
