package org.panolm.testkit;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * Faults and rate limits a test switches on for the requests it chooses, to prove that a client retries, backs off
 * and resumes. For example:
 *
 * <pre>{@code
 * server.faults().on("PUT", "/room_keys/keys").times(2).rateLimit(Duration.ofMillis(50));
 * server.faults().on("GET", "/sync").times(1).fail(502);
 * server.faults().on(null, "/keys/claim").times(1).drop();
 * server.faults().on("GET", "/room_keys/keys").always().delay(Duration.ofSeconds(2));
 * server.faults().limitRate(10, Duration.ofSeconds(1));      // per access token
 * }</pre>
 *
 * A rule matches when its method is {@code null} or equal to the request's, and its pattern is found in the request
 * path. Rules apply in the order they were added; a rule that has fired its number of times is spent. Out of
 * process, the same is reachable through {@code POST /_testkit/faults} (see {@code TestHomeserver}).
 */
public final class Faults {
    /** No rules and no rate limit: every request is served normally. */
    public Faults() {}

    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final Map<String, Deque<Long>> windows = new ConcurrentHashMap<>();
    private volatile int rateLimitRequests;
    private volatile long rateLimitWindowMillis;
    private final AtomicInteger fired = new AtomicInteger();

    /** What happens to a matched request. */
    public enum Kind {
        /** {@code 429 M_LIMIT_EXCEEDED} with {@code retry_after_ms}. */
        RATE_LIMIT,
        /** An error status (5xx) with {@code M_UNKNOWN}. */
        ERROR,
        /** The connection is closed without a response. */
        DROP,
        /** The request is handled normally, after a delay. */
        DELAY
    }

    /**
     * A fault that fires for matching requests.
     *
     * @param kind what happens
     * @param status the HTTP status ({@link Kind#RATE_LIMIT}, {@link Kind#ERROR})
     * @param millis {@code retry_after_ms} for a rate limit, the delay for {@link Kind#DELAY}
     */
    public record Fault(Kind kind, int status, long millis) {}

    /**
     * Starts a rule: finish it with {@link Rule#times}/{@link Rule#always} and what happens.
     *
     * @param method the HTTP method the rule applies to; {@code null} for any
     * @param pathRegex a regular expression found anywhere in the request path
     * @return the rule, not active until its outcome is chosen
     */
    public Rule on(String method, String pathRegex) {
        return new Rule(method, Pattern.compile(pathRegex));
    }

    /** Removes every rule and the rate limit. */
    public void clear() {
        rules.clear();
        rateLimitRequests = 0;
        windows.clear();
    }

    /**
     * How many requests a rule or the rate limit has affected so far.
     *
     * @return the count since this server started
     */
    public int fired() {
        return fired.get();
    }

    /**
     * Allows each access token (or client address, before login) at most {@code requests} requests per
     * {@code window}; more get {@code 429} with the time until the window frees a slot.
     *
     * @param requests requests allowed per window; zero switches the limit off
     * @param window the sliding window
     */
    public void limitRate(int requests, Duration window) {
        windows.clear();
        rateLimitWindowMillis = window.toMillis();
        rateLimitRequests = requests;
    }

    /**
     * The fault for this request, if any rule or the rate limit fires; counts it. Called by the server for every
     * request.
     *
     * @param method the request's method
     * @param path the request's path
     * @param client whom the rate limit counts: the access token, or the client's address
     * @return the fault, or {@code null} to serve the request normally
     */
    public Fault decide(String method, String path, String client) {
        for (Rule rule : rules) {
            if (rule.matches(method, path) && rule.take()) {
                fired.incrementAndGet();
                return rule.fault;
            }
        }
        int limit = rateLimitRequests;
        if (limit > 0) {
            long now = System.currentTimeMillis();
            Deque<Long> w = windows.computeIfAbsent(Objects.requireNonNullElse(client, ""), k -> new ArrayDeque<>());
            synchronized (w) {
                while (!w.isEmpty() && w.peekFirst() <= now - rateLimitWindowMillis) {
                    w.pollFirst();
                }
                if (w.size() >= limit) {
                    fired.incrementAndGet();
                    return new Fault(Kind.RATE_LIMIT, 429, Math.max(1, w.peekFirst() + rateLimitWindowMillis - now));
                }
                w.addLast(now);
            }
        }
        return null;
    }

    /** A rule under construction: say how often, then what happens. */
    public final class Rule {
        private final String method;
        private final Pattern path;
        private final AtomicInteger remaining = new AtomicInteger(1);
        private volatile boolean always;
        private Fault fault;

        private Rule(String method, Pattern path) {
            this.method = method;
            this.path = path;
        }

        /**
         * Fires for the next {@code n} matching requests (default 1).
         *
         * @param n how many requests, at least 1
         * @return this rule
         */
        public Rule times(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("times must be positive: " + n);
            }
            remaining.set(n);
            always = false;
            return this;
        }

        /**
         * Fires for every matching request until {@link Faults#clear()}.
         *
         * @return this rule
         */
        public Rule always() {
            always = true;
            return this;
        }

        /**
         * Answers {@code 429 M_LIMIT_EXCEEDED}.
         *
         * @param retryAfter the {@code retry_after_ms} (and {@code Retry-After}, rounded up to seconds)
         */
        public void rateLimit(Duration retryAfter) {
            add(new Fault(Kind.RATE_LIMIT, 429, retryAfter.toMillis()));
        }

        /**
         * Answers an error status with {@code M_UNKNOWN}.
         *
         * @param status 500 to 599
         */
        public void fail(int status) {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("a server fault is a 5xx status: " + status);
            }
            add(new Fault(Kind.ERROR, status, 0));
        }

        /** Closes the connection before any response. */
        public void drop() {
            add(new Fault(Kind.DROP, 0, 0));
        }

        /**
         * Handles the request normally after a delay.
         *
         * @param delay how long to wait first
         */
        public void delay(Duration delay) {
            add(new Fault(Kind.DELAY, 0, delay.toMillis()));
        }

        private void add(Fault f) {
            this.fault = f;
            rules.add(this);
        }

        boolean matches(String m, String p) {
            return (method == null || method.equalsIgnoreCase(m)) && path.matcher(p).find();
        }

        boolean take() {
            if (always) {
                return true;
            }
            int left = remaining.getAndUpdate(n -> n > 0 ? n - 1 : 0);
            if (left == 1) {
                rules.remove(this);
            }
            return left > 0;
        }
    }
}
