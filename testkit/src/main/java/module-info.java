/**
 * An in-process Matrix homeserver for tests ({@link org.panolm.testkit.TestHomeserver}) and its JUnit
 * extension. Only {@code org.panolm.testkit} is API; the HTTP layer, the server and the spec checks are not
 * exported.
 */
module org.panolm.testkit {
    // Only TestHomeserverExtension uses JUnit, and only a JUnit test (which reads JUnit itself) loads it.
    requires static org.junit.jupiter.api;
    requires org.eclipse.jetty.server;
    requires org.eclipse.jetty.http2.server;
    requires com.networknt.schema;
    requires tools.jackson.databind;
    requires tools.jackson.dataformat.yaml;
    requires com.fasterxml.jackson.annotation;

    exports org.panolm.testkit;

    opens org.panolm.testkit to tools.jackson.databind;
    opens org.panolm.testkit.http to tools.jackson.databind;
    opens org.panolm.testkit.server to tools.jackson.databind;
    opens org.panolm.testkit.spec to tools.jackson.databind;
}
