package org.panolm.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5: a test homeserver for a test class, started before its first test and stopped after its last. After
 * each test, any response of the server that failed the Matrix spec fails that test, and injected faults are
 * cleared.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TestHomeserverExtension SERVER = new TestHomeserverExtension();
 * ... SERVER.server().baseUrl() ...
 * }</pre>
 */
public final class TestHomeserverExtension implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {
    private final TestHomeserver.Builder builder;
    private TestHomeserver server;
    private int checked;

    /** A server with the defaults of {@link TestHomeserver#builder()}. */
    public TestHomeserverExtension() {
        this(TestHomeserver.builder());
    }

    /**
     * A server with other settings.
     *
     * @param builder started before the class's first test
     */
    public TestHomeserverExtension(TestHomeserver.Builder builder) {
        this.builder = builder;
    }

    /**
     * The running server.
     *
     * @return the server, between the class's first and last test
     */
    public TestHomeserver server() {
        if (server == null) {
            throw new IllegalStateException("the test homeserver runs only while the test class does");
        }
        return server;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = builder.start();
        checked = 0;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        server.faults().clear();
        var all = server.violations();
        var fresh = all.subList(checked, all.size());
        checked = all.size();
        if (!fresh.isEmpty()) {
            StringBuilder sb = new StringBuilder(fresh.size() + " response(s) of the test homeserver failed the "
                    + "Matrix spec during this test:");
            fresh.forEach(v -> sb.append("\n  ").append(v));
            throw new AssertionError(sb.toString());
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
