/**
 * The Matrix specification's vendored OpenAPI files and the validator that checks bodies against them. Internal to the testkit: its API is {@link org.panolm.testkit.TestHomeserver} and the types beside it.
 */
package org.panolm.testkit.spec;
