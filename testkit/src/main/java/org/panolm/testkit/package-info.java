/**
 * A Matrix homeserver for tests, checked against the Matrix specification's own OpenAPI files:
 * {@link org.panolm.testkit.TestHomeserver} (in-process, or {@code panolm testserver}),
 * {@link org.panolm.testkit.TestHomeserverExtension} for JUnit 5, {@link org.panolm.testkit.Faults} for rate limits
 * and injected faults, and {@link org.panolm.testkit.SpecViolation} for what the spec check finds.
 */
package org.panolm.testkit;
