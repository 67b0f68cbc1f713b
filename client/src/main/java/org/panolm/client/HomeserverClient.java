package org.panolm.client;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jspecify.annotations.Nullable;
import org.panolm.client.internal.ClientJson;

/**
 * A client of one homeserver's Client-Server API over {@code java.net.http} (HTTP/2, or HTTP/1.1 when the
 * server offers only that). Thread-safe: one instance serves the whole application.
 *
 * <p>Every request goes through one loop that retries by the {@link RetryPolicy} ({@code 429} as long as the
 * server asks, {@code 5xx}, timeouts, and lost connections for requests that are safe to repeat), and turns
 * any other failure into a {@link MatrixApiException}. A blocking call whose thread is interrupted stops at
 * once with a {@link CancellationException}; {@link #async(Callable)} runs a call whose future can be
 * cancelled the same way. Requests are logged (method, path, status, attempt) through {@code System.Logger}
 * {@code org.panolm.client} at {@code DEBUG}, retries at {@code INFO}; query strings, bodies and the access
 * token never are.
 */
public final class HomeserverClient implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("org.panolm.client");
    /** Error bodies are read up to this size: a server cannot make the client buffer more. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final URI baseUrl;
    private final HttpClient http;
    private final RetryPolicy retryPolicy;
    private final Duration requestTimeout;
    private final ObjectMapper json;
    private volatile @Nullable Credentials credentials;

    private HomeserverClient(Builder b) {
        this.baseUrl = b.baseUrl;
        this.retryPolicy = b.retryPolicy;
        this.requestTimeout = b.requestTimeout;
        this.credentials = b.credentials;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_2)
                .connectTimeout(b.connectTimeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.json = ClientJson.MAPPER;
    }

    /**
     * A builder for a client of the homeserver at {@code baseUrl}.
     *
     * @param baseUrl the homeserver's base URL, such as {@code https://matrix.example.org}
     * @return the builder
     */
    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /** Options of a {@link HomeserverClient}. */
    public static final class Builder {
        private final URI baseUrl;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private @Nullable Credentials credentials;

        private Builder(URI baseUrl) {
            Objects.requireNonNull(baseUrl, "baseUrl");
            String scheme = baseUrl.getScheme();
            if (!"https".equals(scheme) && !"http".equals(scheme) || baseUrl.getHost() == null) {
                throw new IllegalArgumentException("homeserver URL must be http(s)://host[:port]: " + baseUrl);
            }
            String s = baseUrl.toString();
            this.baseUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        }

        /**
         * How failed requests are retried ({@link RetryPolicy#DEFAULT} unless set).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder retryPolicy(RetryPolicy policy) {
            this.retryPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /**
         * How long one attempt may wait for the answer's headers (30 s unless set); a long-polling
         * {@code /sync} adds its own {@code timeout} to it.
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = positive(timeout, "requestTimeout");
            return this;
        }

        /**
         * How long connecting may take (10 s unless set).
         *
         * @param timeout the timeout
         * @return this builder
         */
        public Builder connectTimeout(Duration timeout) {
            this.connectTimeout = positive(timeout, "connectTimeout");
            return this;
        }

        /**
         * Resumes an earlier login instead of logging in again.
         *
         * @param credentials the stored credentials
         * @return this builder
         */
        public Builder credentials(Credentials credentials) {
            this.credentials = credentials;
            return this;
        }

        /**
         * The client.
         *
         * @return a new client; close it to release its connections
         */
        public HomeserverClient build() {
            return new HomeserverClient(this);
        }

        private static Duration positive(Duration d, String what) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) throw new IllegalArgumentException(what + " must be positive");
            return d;
        }
    }

    /**
     * The homeserver's base URL.
     *
     * @return the URL, without a trailing slash
     */
    public URI baseUrl() {
        return baseUrl;
    }

    /**
     * The credentials of the current login, if logged in.
     *
     * @return the credentials
     */
    public Optional<Credentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    /**
     * The credentials, or an {@link IllegalStateException} when not logged in.
     *
     * @return the credentials
     */
    public Credentials requireCredentials() {
        Credentials c = credentials;
        if (c == null) throw new IllegalStateException("not logged in");
        return c;
    }

    // ---------------------------------------------------------------- accounts

    /**
     * Logs in with {@code m.login.password}; the new device's token is used from then on.
     *
     * @param user a user id or a localpart
     * @param password the password; the caller wipes its array
     * @param deviceName the display name of the new device, or null
     * @return the credentials of the new device
     */
    public Credentials login(String user, char[] password, @Nullable String deviceName) {
        ObjectNode body = json.createObjectNode();
        body.put("type", "m.login.password");
        body.putObject("identifier").put("type", "m.id.user").put("user", user);
        body.put("password", new String(password));
        if (deviceName != null) body.put("initial_device_display_name", deviceName);
        return adopt(call("POST", "/_matrix/client/v3/login", body, JsonNode.class, false, false), "login");
    }

    /**
     * Registers a user through user-interactive auth with {@code m.login.dummy} (as servers open to
     * registration offer it) and logs the new device in.
     *
     * @param localpart the user's localpart
     * @param password the password; the caller wipes its array
     * @param deviceName the display name of the new device, or null
     * @return the credentials of the new device
     */
    public Credentials register(String localpart, char[] password, @Nullable String deviceName) {
        ObjectNode body = json.createObjectNode();
        body.put("username", localpart);
        body.put("password", new String(password));
        if (deviceName != null) body.put("initial_device_display_name", deviceName);
        String session = null;
        try {
            // A server that needs no user-interactive auth registers at once.
            return adopt(call("POST", "/_matrix/client/v3/register", body, JsonNode.class, false, false), "register");
        } catch (MatrixApiException e) {
            if (e.status() != 401) throw e;
            session = e.body().map(b -> ClientJson.tree(b).path("session").asText(null)).orElse(null);
        }
        ObjectNode auth = body.putObject("auth").put("type", "m.login.dummy");
        if (session != null) auth.put("session", session);
        return adopt(call("POST", "/_matrix/client/v3/register", body, JsonNode.class, false, false), "register");
    }

    private Credentials adopt(JsonNode r, String what) {
        String endpoint = "POST /_matrix/client/v3/" + what;
        Credentials c = new Credentials(requireText(r, "user_id", endpoint), requireText(r, "device_id", endpoint),
                AccessToken.of(requireText(r, "access_token", endpoint)));
        this.credentials = c;
        return c;
    }

    private static String requireText(JsonNode r, String field, String endpoint) {
        JsonNode v = r.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw new MatrixApiException(MatrixApiException.Kind.BAD_RESPONSE, endpoint, 200, null,
                    "field " + field + " is missing or not a string", null, null, null);
        }
        return v.textValue();
    }

    /**
     * Who the access token belongs to.
     *
     * @return the user and device
     */
    public WhoAmI whoami() {
        return get("/_matrix/client/v3/account/whoami", WhoAmI.class);
    }

    /** Logs this device out: the server deletes the device and revokes its token; the client forgets it. */
    public void logout() {
        requireCredentials();
        post("/_matrix/client/v3/logout", json.createObjectNode(), JsonNode.class);
        credentials = null;
    }

    /**
     * POSTs {@code body} and answers one user-interactive-auth challenge with {@code m.login.password}
     * (cross-signing upload, device deletion).
     *
     * @param path the path
     * @param bodyJson the request body, a JSON object as JSON text
     * @param password the account password; the caller wipes its array
     * @param type the answer's type
     * @param <T> the answer's type
     * @return the answer
     * @throws IllegalArgumentException when {@code bodyJson} is not a JSON object
     */
    public <T> T postWithPassword(String path, String bodyJson, char[] password, Class<T> type) {
        ObjectNode body = ClientJson.argument(bodyJson, "bodyJson");
        Credentials c = requireCredentials();
        try {
            return post(path, body, type);
        } catch (MatrixApiException e) {
            JsonNode challenge = e.body().map(ClientJson::tree).orElse(null);
            if (e.status() != 401 || challenge == null || !challenge.has("flows")) throw e;
            ObjectNode withAuth = body.deepCopy();
            ObjectNode auth = withAuth.putObject("auth").put("type", "m.login.password");
            auth.putObject("identifier").put("type", "m.id.user").put("user", c.userId());
            auth.put("password", new String(password));
            String session = challenge.path("session").asText(null);
            if (session != null) auth.put("session", session);
            return post(path, withAuth, type);
        }
    }

    // ---------------------------------------------------------------- generic calls

    /**
     * {@code GET path}, retried by the policy.
     *
     * @param path the path and query, starting with {@code /_matrix/}
     * @param type the answer's type (a record Jackson can bind, or {@code String} for the JSON text)
     * @param <T> the answer's type
     * @return the answer
     */
    public <T> T get(String path, Class<T> type) {
        return call("GET", path, null, type, true, true);
    }

    /**
     * {@code PUT path} with a JSON body, retried by the policy (a PUT is idempotent).
     *
     * @param path the path and query
     * @param body the body: a record or a map (serialised to JSON), or JSON text (a {@code String} holding a JSON
     *             object, sent as it is)
     * @param type the answer's type
     * @param <T> the answer's type
     * @return the answer
     */
    public <T> T put(String path, Object body, Class<T> type) {
        return call("PUT", path, body, type, true, true);
    }

    /**
     * {@code POST path} with a JSON body. Retried on {@code 429} and {@code 5xx}, but not after a lost
     * connection: the server may have acted on it.
     *
     * @param path the path and query
     * @param body the body, as for {@link #put}
     * @param type the answer's type
     * @param <T> the answer's type
     * @return the answer
     */
    public <T> T post(String path, Object body, Class<T> type) {
        return call("POST", path, body, type, false, true);
    }

    /**
     * {@code DELETE path}, retried by the policy.
     *
     * @param path the path and query
     * @param type the answer's type
     * @param <T> the answer's type
     * @return the answer
     */
    public <T> T delete(String path, Class<T> type) {
        return call("DELETE", path, null, type, true, true);
    }

    /**
     * {@code GET path} whose answer is read as a stream, for bodies too large to hold (a whole backup, a
     * file). Retried by the policy until the answer's headers arrive; the caller closes the stream.
     *
     * @param path the path and query
     * @return the body
     */
    public InputStream getStream(String path) {
        return exchange("GET", path, HttpRequest.BodyPublishers.noBody(), null, true, true, requestTimeout).body();
    }

    /**
     * Sends a request whose body is not JSON (a media upload) and reads a JSON answer.
     *
     * @param method the method
     * @param path the path and query
     * @param body the body, which must be repeatable for a retry (a file or bytes)
     * @param contentType the body's content type
     * @param type the answer's type
     * @param <T> the answer's type
     * @return the answer
     */
    public <T> T sendRaw(String method, String path, HttpRequest.BodyPublisher body, String contentType, Class<T> type) {
        HttpResponse<InputStream> r = exchange(method, path, body, contentType, "PUT".equals(method), true,
                requestTimeout);
        return readJson(r, method, path, type);
    }

    /**
     * {@code GET /sync}, long-polling: the attempt may take {@code timeout} longer than other requests.
     *
     * @param since the previous response's {@code next_batch}, or null for an initial sync
     * @param timeout how long the server may wait for something new ({@link Duration#ZERO}: answer at once)
     * @param filter a filter (inline JSON or a filter id), or null
     * @return the response body, JSON text (checked to be a JSON object)
     */
    public String sync(@Nullable String since, Duration timeout, @Nullable String filter) {
        Objects.requireNonNull(timeout, "timeout");
        StringBuilder path = new StringBuilder("/_matrix/client/v3/sync?timeout=").append(timeout.toMillis());
        if (since != null) path.append("&since=").append(segment(since));
        if (filter != null) path.append("&filter=").append(segment(filter));
        String p = path.toString();
        HttpResponse<InputStream> r = exchange("GET", p, HttpRequest.BodyPublishers.noBody(), null, true, true,
                requestTimeout.plus(timeout));
        String body = readJson(r, "GET", p, String.class);
        if (!ClientJson.isObject(body)) {
            throw new MatrixApiException(MatrixApiException.Kind.BAD_RESPONSE, "GET " + stripQuery(p), r.statusCode(),
                    null, "not a JSON object", null, null, null);
        }
        return body;
    }

    /**
     * Runs {@code call} on a virtual thread. Cancelling the returned future interrupts it: the request in
     * flight is abandoned and no further attempt is made.
     *
     * @param call the work, typically calls of this client
     * @param <T> the result type
     * @return the future result
     */
    public <T> CompletableFuture<T> async(Callable<T> call) {
        CompletableFuture<T> future = new CompletableFuture<>();
        Thread thread = Thread.ofVirtual().name("panolm-client").unstarted(() -> {
            try {
                future.complete(call.call());
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
        future.whenComplete((v, e) -> {
            if (future.isCancelled()) thread.interrupt();
        });
        thread.start();
        return future;
    }

    /**
     * Encodes one path segment (a room id, an event type, a session id).
     *
     * @param segment the raw segment
     * @return the percent-encoded segment
     */
    public static String segment(String segment) {
        return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private <T> T call(String method, String path, @Nullable Object body, Class<T> type, boolean idempotent, boolean auth) {
        HttpRequest.BodyPublisher publisher;
        try {
            if (body instanceof String text && !ClientJson.isObject(text)) {
                throw new IllegalArgumentException("request body of " + method + " " + stripQuery(path)
                        + " is not a JSON object");
            }
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : body instanceof String text ? HttpRequest.BodyPublishers.ofString(text)
                    : HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new IllegalArgumentException("request body of " + method + " " + stripQuery(path)
                    + " is not serialisable as JSON", e);
        }
        HttpResponse<InputStream> r = exchange(method, path, publisher, body == null ? null : "application/json",
                idempotent, auth, requestTimeout);
        return readJson(r, method, path, type);
    }

    private <T> T readJson(HttpResponse<InputStream> r, String method, String path, Class<T> type) {
        try (InputStream in = r.body()) {
            // String: the JSON text as it came (not a JSON string literal).
            if (type == String.class) return type.cast(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            return json.readValue(in, type);
        } catch (IOException e) {
            throw new MatrixApiException(MatrixApiException.Kind.BAD_RESPONSE, method + " " + stripQuery(path),
                    r.statusCode(), null, "not a " + type.getSimpleName() + ": " + e.getClass().getSimpleName(),
                    null, null, null);
        }
    }

    /** The one request loop: every call of this client goes through it. */
    private HttpResponse<InputStream> exchange(String method, String path, HttpRequest.BodyPublisher body,
                                               @Nullable String contentType, boolean idempotent, boolean auth,
                                               Duration timeout) {
        if (!path.startsWith("/")) throw new IllegalArgumentException("path must start with /");
        String endpoint = method + " " + stripQuery(path);
        HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(timeout)
                .method(method, body).header("Accept", "application/json");
        if (contentType != null) rb.header("Content-Type", contentType);
        Credentials c = credentials;
        if (auth && c != null) rb.header("Authorization", c.accessToken().bearerHeader());
        HttpRequest request = rb.build();
        for (int attempt = 1; ; attempt++) {
            MatrixApiException failure;
            boolean retryable;
            try {
                HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                int status = r.statusCode();
                LOG.log(Level.DEBUG, () -> endpoint + " -> " + status + " (" + r.version() + ")");
                if (status >= 200 && status < 300) return r;
                failure = errorOf(endpoint, r);
                retryable = status == 429 || status >= 500;
            } catch (HttpTimeoutException e) {
                failure = new MatrixApiException(MatrixApiException.Kind.TIMEOUT, endpoint, 0, null, null, null, null, null);
                retryable = idempotent;
            } catch (IOException e) {
                failure = new MatrixApiException(MatrixApiException.Kind.TRANSPORT, endpoint, 0, null, null, null, null,
                        new IOException(e.getClass().getSimpleName()));
                retryable = idempotent;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw cancelled(endpoint);
            }
            if (!retryable || attempt >= retryPolicy.maxAttempts()) throw failure;
            Duration wait = retryPolicy.delay(attempt, failure.retryAfter().orElse(null));
            int next = attempt + 1;
            MatrixApiException f = failure;
            LOG.log(Level.INFO, () -> endpoint + " failed (" + (f.status() != 0 ? f.status() : f.kind())
                    + "), attempt " + next + " in " + wait.toMillis() + " ms");
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw cancelled(endpoint);
            }
        }
    }

    private static CancellationException cancelled(String endpoint) {
        return new CancellationException(endpoint + ": cancelled");
    }

    private MatrixApiException errorOf(String endpoint, HttpResponse<InputStream> r) {
        JsonNode node = null;
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(MAX_ERROR_BODY);
            node = json.readTree(bytes);
        } catch (IOException | RuntimeException e) {
            // Not JSON (a proxy's HTML page): the status is all there is.
        }
        String errcode = node != null && node.path("errcode").isTextual() ? node.get("errcode").textValue() : null;
        String error = node != null && node.path("error").isTextual() ? node.get("error").textValue() : null;
        Duration retryAfter = null;
        if (r.statusCode() == 429) {
            if (node != null && node.path("retry_after_ms").canConvertToLong()) {
                retryAfter = Duration.ofMillis(Math.max(0, node.get("retry_after_ms").asLong()));
            } else {
                retryAfter = r.headers().firstValue("Retry-After").flatMap(HomeserverClient::seconds).orElse(null);
            }
        }
        return new MatrixApiException(MatrixApiException.Kind.HTTP_ERROR, endpoint, r.statusCode(), errcode, error,
                retryAfter, node != null && node.isObject() ? node.toString() : null, null);
    }

    private static Optional<Duration> seconds(String header) {
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim()))));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    static String stripQuery(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** Closes the connections; requests still running fail. */
    @Override
    public void close() {
        http.shutdownNow();
    }

    @Override
    public String toString() {
        Credentials c = credentials;
        return "HomeserverClient[" + baseUrl + (c != null ? ", " + c.userId() + " " + c.deviceId() : "") + "]";
    }
}
