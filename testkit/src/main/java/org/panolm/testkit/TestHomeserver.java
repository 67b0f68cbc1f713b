package org.panolm.testkit;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.UnaryOperator;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.panolm.testkit.http.Call;
import org.panolm.testkit.http.Json;
import org.panolm.testkit.http.MatrixError;
import org.panolm.testkit.http.MatrixHandler;
import org.panolm.testkit.http.Reply;
import org.panolm.testkit.server.Homeserver;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;

/**
 * A Matrix homeserver for tests, on 127.0.0.1, speaking HTTP/1.1 and HTTP/2 cleartext (h2c). Every request and
 * response body is checked against the Matrix specification's OpenAPI files; a response that fails is a bug of
 * this server and is kept in {@link #violations()} (tests assert it stays empty: {@link TestHomeserverExtension}
 * does so after every test); a request that fails gets {@code 400 M_BAD_JSON} and is kept in
 * {@link #rejectedRequests()}.
 *
 * <pre>{@code
 * try (TestHomeserver server = TestHomeserver.start()) {
 *     URI base = server.baseUrl();   // http://127.0.0.1:<port>
 *     ...
 *     server.assertNoViolations();
 * }
 * }</pre>
 *
 * <p>Out of process ({@code panolm testserver}), the test-control endpoints, outside the Matrix API and without
 * authentication (the server only listens on loopback), are:
 * <ul>
 * <li>{@code GET /_testkit/violations} and {@code GET /_testkit/rejected}: the recorded problems as JSON;</li>
 * <li>{@code POST /_testkit/faults} with {@code {"method":"PUT","path":"/room_keys/keys","times":2,
 *     "kind":"rate_limit|error|drop|delay","status":502,"retry_after_ms":100,"delay_ms":500}}
 *     ({@code times} 0 = always);</li>
 * <li>{@code POST /_testkit/rate_limit} with {@code {"requests":10,"window_ms":1000}};</li>
 * <li>{@code DELETE /_testkit/faults}: clears rules and the rate limit.</li>
 * </ul>
 */
public final class TestHomeserver implements AutoCloseable {
    /** The server name in every user and room id. */
    public static final String DEFAULT_SERVER_NAME = "localhost";
    /** The largest request body: a 100 MiB upload (the advertised {@code m.upload.size}) and its headroom. */
    private static final long MAX_BODY = 101L << 20;

    private final Server jetty;
    private final Homeserver homeserver;
    private final MatrixHandler handler;
    private final Faults faults = new Faults();
    private final List<SpecViolation> violations = new CopyOnWriteArrayList<>();
    private final List<SpecViolation> rejected = new CopyOnWriteArrayList<>();
    private final URI baseUrl;

    private TestHomeserver(Builder b) throws Exception {
        this.homeserver = new Homeserver(b.serverName, b.dataDir);
        this.handler = new MatrixHandler(faults, b.routes.apply(homeserver.routes()), this::admin, violations::add, rejected::add,
                MAX_BODY);
        handler.validateResponses(b.validateResponses);
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("testkit");
        threads.setDaemon(true);
        // Long-polling syncs park on virtual threads, not on the pool.
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.jetty = new Server(threads);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        // Megolm session ids are base64 and may hold '/': clients send it percent-encoded (%2F) inside one path
        // segment of /room_keys/keys/{roomId}/{sessionId}. Jetty refuses such paths by default (400); the router
        // splits the raw path first and decodes each segment, so %2F is unambiguous here.
        config.setUriCompliance(UriCompliance.DEFAULT.with("matrix path segments",
                UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING));
        HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(config);
        // Large receive windows: a key-backup upload of many keys should not wait on flow control over loopback.
        h2c.setInitialSessionRecvWindow(32 << 20);
        h2c.setInitialStreamRecvWindow(16 << 20);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(config), h2c);
        connector.setHost("127.0.0.1");
        connector.setPort(b.port);
        connector.setIdleTimeout(Duration.ofMinutes(10).toMillis());
        jetty.addConnector(connector);
        jetty.setHandler(handler);
        jetty.setStopTimeout(2000);
        try {
            jetty.start();
        } catch (Exception e) {
            homeserver.close();
            throw e;
        }
        this.baseUrl = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    /**
     * Starts a server in memory on an ephemeral port.
     *
     * @return the running server
     */
    public static TestHomeserver start() {
        return builder().start();
    }

    /**
     * A builder for a server with other settings.
     *
     * @return a builder with the defaults: ephemeral port, memory only, {@value #DEFAULT_SERVER_NAME}
     */
    public static Builder builder() {
        return new Builder();
    }

    /** How to start a server. */
    public static final class Builder {
        private int port;
        private Path dataDir;
        private String serverName = DEFAULT_SERVER_NAME;
        private boolean validateResponses = true;
        private UnaryOperator<MatrixHandler.Routes> routes = r -> r;

        private Builder() {}

        /** For this module's own tests: wraps the endpoints (to make one misbehave on purpose). */
        Builder wrapRoutes(UnaryOperator<MatrixHandler.Routes> wrap) {
            this.routes = wrap;
            return this;
        }

        /**
         * The port on 127.0.0.1.
         *
         * @param port the port; 0 (the default) picks a free one
         * @return this builder
         */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * Keeps users, devices, keys, rooms, backups and media in a directory across restarts.
         *
         * @param dir the directory (created if missing); {@code null}: memory only
         * @return this builder
         */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        /**
         * The server name in user and room ids.
         *
         * @param name for example {@code localhost} (the default)
         * @return this builder
         */
        public Builder serverName(String name) {
            this.serverName = name;
            return this;
        }

        /**
         * Checks every response against the spec (the default). Off only for benchmarks whose response bodies are
         * so large that checking them would be what is measured; requests are always checked.
         *
         * @param on whether to check responses
         * @return this builder
         */
        public Builder validateResponses(boolean on) {
            this.validateResponses = on;
            return this;
        }

        /**
         * Starts the server.
         *
         * @return the running server
         * @throws IllegalStateException when it cannot start (the port is taken, the data directory is another
         *     server's)
         */
        public TestHomeserver start() {
            try {
                return new TestHomeserver(this);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("the test homeserver did not start: " + e, e);
            }
        }
    }

    /**
     * Where the server listens.
     *
     * @return {@code http://127.0.0.1:<port>}, without a trailing slash
     */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * The port on 127.0.0.1.
     *
     * @return the port
     */
    public int port() {
        return baseUrl.getPort();
    }

    /**
     * The server name in user and room ids.
     *
     * @return for example {@code localhost}
     */
    public String serverName() {
        return homeserver.serverName();
    }

    /**
     * Faults and rate limits to switch on for this test.
     *
     * @return this server's faults
     */
    public Faults faults() {
        return faults;
    }

    /**
     * Responses that failed the spec, and endpoints that threw: bugs of this server.
     *
     * @return every one so far, oldest first
     */
    public List<SpecViolation> violations() {
        return List.copyOf(violations);
    }

    /**
     * Requests whose body failed the spec (answered with 400): mistakes of the client under test.
     *
     * @return every one so far, oldest first
     */
    public List<SpecViolation> rejectedRequests() {
        return List.copyOf(rejected);
    }

    /** Throws {@link AssertionError} listing every violation, if there is any. */
    public void assertNoViolations() {
        List<SpecViolation> v = violations();
        if (!v.isEmpty()) {
            StringBuilder sb = new StringBuilder(v.size() + " response(s) of the test homeserver failed the Matrix "
                    + "spec:");
            v.forEach(x -> sb.append("\n  ").append(x));
            throw new AssertionError(sb.toString());
        }
    }

    /** Writes persisted state now (it is also written shortly after each change, and on close). */
    public void flush() {
        homeserver.flush();
    }

    @Override
    public void close() {
        homeserver.stopWaiting();
        try {
            jetty.stop();
        } catch (java.util.concurrent.TimeoutException e) {
            // The graceful phase ran out: a request was still being served (a client that gave up on a delayed
            // or faulted request, as cancellation tests do). Jetty has closed every connection by now.
        } catch (Exception e) {
            throw new IllegalStateException("stopping the test homeserver failed", e);
        } finally {
            homeserver.close();
        }
    }

    private Reply admin(String route, Call call) {
        return switch (route) {
            case "GET violations" -> Reply.ok(list(violations));
            case "GET rejected" -> Reply.ok(list(rejected));
            case "DELETE faults" -> {
                faults.clear();
                yield Reply.ok();
            }
            case "POST rate_limit" -> {
                JsonNode b = call.body();
                faults.limitRate(b.path("requests").asInt(0), Duration.ofMillis(b.path("window_ms").asLong(1000)));
                yield Reply.ok();
            }
            case "POST faults" -> {
                JsonNode b = call.body();
                String method = b.path("method").asString(null);
                Faults.Rule rule = faults.on(method, b.path("path").asString(""));
                int times = b.path("times").asInt(1);
                if (times == 0) {
                    rule.always();
                } else {
                    rule.times(times);
                }
                switch (b.path("kind").asString("")) {
                    case "rate_limit" -> rule.rateLimit(Duration.ofMillis(b.path("retry_after_ms").asLong(1000)));
                    case "error" -> rule.fail(b.path("status").asInt(500));
                    case "drop" -> rule.drop();
                    case "delay" -> rule.delay(Duration.ofMillis(b.path("delay_ms").asLong(1000)));
                    default -> throw MatrixError.badJson("kind is rate_limit, error, drop or delay");
                }
                yield Reply.ok();
            }
            default -> null;
        };
    }

    private static ArrayNode list(List<SpecViolation> list) {
        ArrayNode out = Json.array();
        for (SpecViolation v : list) {
            ArrayNode errors = Json.array();
            v.errors().forEach(errors::add);
            out.add(Json.object().put("direction", v.direction().name()).put("method", v.method())
                    .put("path", v.path()).put("status", v.status()).put("schema", v.schema())
                    .set("errors", errors));
        }
        return out;
    }
}
