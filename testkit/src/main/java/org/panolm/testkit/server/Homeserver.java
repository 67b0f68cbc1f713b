package org.panolm.testkit.server;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.panolm.testkit.http.Call;
import org.panolm.testkit.http.Json;
import org.panolm.testkit.http.MatrixError;
import org.panolm.testkit.http.MatrixHandler;
import org.panolm.testkit.http.Reply;

/**
 * The homeserver's state and behaviour, behind {@link MatrixHandler}: one lock guards all state (a test server
 * favours obviously correct over concurrent), and a condition on it wakes long-polling {@code /sync} requests
 * whenever the stream moves. Endpoints live in one class per family ({@link Accounts}, {@link Rooms},
 * {@link SyncEndpoint}, {@link Keys}, {@link UserData}, {@link Media}, {@link Backups}).
 */
public final class Homeserver implements AutoCloseable {
    /** One endpoint, by the spec's operation id. */
    @FunctionalInterface
    interface Endpoint {
        Reply handle(Call call);
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition moved = lock.newCondition();
    private final Map<String, Endpoint> endpoints = new HashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Persistence persistence;
    private boolean stopping;
    final State state;
    final MediaStore mediaStore;
    final Accounts accounts;

    /**
     * @param serverName the server name in user and room ids
     * @param dataDir where to keep state across restarts, or {@code null} for memory only
     */
    public Homeserver(String serverName, Path dataDir) {
        this.persistence = dataDir == null ? null : new Persistence(dataDir);
        State loaded = persistence == null ? null : persistence.load();
        if (loaded != null && !serverName.equals(loaded.serverName)) {
            throw new IllegalStateException("the data directory belongs to server " + loaded.serverName);
        }
        if (loaded == null) {
            loaded = new State();
            loaded.serverName = serverName;
        }
        this.state = loaded;
        this.mediaStore = new MediaStore(dataDir == null ? null : dataDir.resolve("media"));
        this.accounts = new Accounts(this);
        accounts.register(endpoints);
        new Rooms(this).register(endpoints);
        new SyncEndpoint(this).register(endpoints);
        new Keys(this).register(endpoints);
        new UserData(this).register(endpoints);
        new Media(this).register(endpoints);
        new Backups(this).register(endpoints);
    }

    /** The routes for {@link MatrixHandler}: each call runs under the lock; a change is persisted. */
    public MatrixHandler.Routes routes() {
        return (operationId, call) -> {
            Endpoint e = endpoints.get(operationId);
            if (e == null) {
                return null;
            }
            lock.lock();
            try {
                return e.handle(call);
            } finally {
                if (!call.method().equals("GET")) {
                    changed();
                }
                lock.unlock();
            }
        };
    }

    public String serverName() {
        return state.serverName;
    }

    /** Writes the state now (when persisted). */
    public void flush() {
        lock.lock();
        try {
            if (persistence != null) {
                persistence.save(state);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiting sync and makes later ones answer at once: the server is stopping. */
    public void stopWaiting() {
        lock.lock();
        try {
            stopping = true;
            moved.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        stopWaiting();
        flush();
        if (persistence != null) {
            persistence.close();
        }
    }

    // ---- helpers for the endpoint classes, called under the lock ----

    /** The next stream position; wakes every waiting sync. */
    long advance() {
        state.pos++;
        moved.signalAll();
        return state.pos;
    }

    /** Waits for the stream to move, at most {@code millis}; returns the time left. */
    long await(long millis) {
        if (millis <= 0 || stopping) {
            return 0;
        }
        try {
            long left = moved.awaitNanos(TimeUnit.MILLISECONDS.toNanos(millis));
            return TimeUnit.NANOSECONDS.toMillis(Math.max(0, left));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private void changed() {
        if (persistence != null) {
            persistence.markDirty(this::flush);
        }
    }

    /** The caller of an authenticated endpoint. */
    record Caller(State.User user, State.Device device, String token) {
        String userId() {
            return user.userId;
        }

        String deviceId() {
            return device.deviceId;
        }
    }

    Caller auth(Call call) {
        if (call.accessToken() == null) {
            throw new MatrixError(401, "M_MISSING_TOKEN", "no access token");
        }
        State.TokenOwner owner = state.tokens.get(call.accessToken());
        State.User user = owner == null ? null : state.users.get(owner.userId);
        State.Device device = user == null ? null : user.devices.get(owner.deviceId);
        if (device == null) {
            throw new MatrixError(401, "M_UNKNOWN_TOKEN", "unknown access token",
                    Json.object().put("soft_logout", false));
        }
        device.lastSeenTs = System.currentTimeMillis();
        return new Caller(user, device, call.accessToken());
    }

    /** The user in the path must be the caller. */
    static void requireSelf(Caller caller, String userId) {
        if (!caller.userId().equals(userId)) {
            throw MatrixError.forbidden("cannot act for another user");
        }
    }

    /** A random id of letters. */
    String randomId(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    /** Records that a user's devices or cross-signing keys changed. */
    void deviceListChanged(String userId) {
        state.deviceListChanges.add(new State.DeviceListChange(advance(), userId));
    }
}
