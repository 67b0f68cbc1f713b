package org.panolm.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * How often and how long the client retries a request that failed for a reason that may pass: {@code 429}
 * (waiting what {@code retry_after_ms} or {@code Retry-After} asks, capped at {@code maxDelay}), a {@code 5xx},
 * a timeout, or a connection lost before an answer for a request that is safe to repeat. Other delays grow
 * exponentially from {@code initialDelay}, with jitter, up to {@code maxDelay}.
 *
 * @param maxAttempts the most attempts in all (1 = never retry)
 * @param initialDelay the delay before the first retry when the server names none
 * @param maxDelay the longest single wait
 */
public record RetryPolicy(int maxAttempts, Duration initialDelay, Duration maxDelay) {
    /** Five attempts, from 200 ms up to 10 s. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(200), Duration.ofSeconds(10));
    /** One attempt. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    /** Checks the ranges. */
    public RetryPolicy {
        Objects.requireNonNull(initialDelay, "initialDelay");
        Objects.requireNonNull(maxDelay, "maxDelay");
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (initialDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /**
     * The wait before attempt {@code attempt + 1}.
     *
     * @param attempt the attempt that just failed, from 1
     * @param serverAsked what the server asked for ({@code retry_after_ms}), or null
     * @return the wait
     */
    Duration delay(int attempt, @Nullable Duration serverAsked) {
        if (serverAsked != null) {
            return serverAsked.compareTo(maxDelay) > 0 ? maxDelay : serverAsked;
        }
        long base = initialDelay.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxDelay.toMillis());
        // Full jitter on the upper half, so that clients that failed together do not retry together.
        long jitter = capped <= 1 ? 0 : ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(capped / 2 + jitter);
    }
}
