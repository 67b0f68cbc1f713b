package org.panolm.client.sync;

import java.lang.System.Logger.Level;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import org.panolm.client.HomeserverClient;
import org.panolm.client.MatrixApiException;
import org.panolm.client.internal.ClientJson;
import org.panolm.engine.OlmMachine;
import org.panolm.engine.OutgoingRequest;
import org.panolm.engine.ToDeviceResult;
import org.panolm.engine.internal.EngineTrees;
import org.panolm.keystore.RoomKeyRecord;

/**
 * The {@code /sync} loop of one device: each round sends what the engine asks for (keys upload, query, claim,
 * to-device; one queue, each response reported back), makes one {@code /sync} from the token the engine's store
 * keeps, hands the engine its to-device events, device-list changes, one-time-key counts and unused fallback key
 * types with the new token in the same store transaction, tracks the members of the joined rooms, tells the
 * {@link RoomKeyListener} of the room keys that arrived, and sends what the engine asks for after that.
 *
 * <p>A restart resumes from the stored token. The homeserver keeps to-device messages until a later {@code since}
 * acknowledges them, and the token is stored only with what the response brought, so a crash between the two
 * loses nothing (a redelivered message is recognised by the engine).
 *
 * <p>{@link #run()} loops until {@link #stop()} or until its thread is interrupted; a round that fails on the
 * network is retried after a pause that grows to a minute.
 */
public final class SyncLoop {
    private static final System.Logger LOG = System.getLogger("org.panolm.client.sync");
    /** Passes over the engine's queue per round: a query's answer may ask for a claim, and a claim for to-device. */
    private static final int MAX_PASSES = 8;
    private static final Duration MAX_BACKOFF = Duration.ofMinutes(1);

    private final HomeserverClient client;
    private final OlmMachine engine;
    private final Duration pollTimeout;
    private final @Nullable String filter;
    private volatile RoomKeyListener roomKeys = keys -> { };
    private volatile Consumer<SyncRound> rounds = r -> { };
    private volatile boolean stopped;
    private volatile @Nullable Thread runner;

    /**
     * A loop for the engine's device, logged in on {@code client}.
     *
     * @param client the client logged in as the engine's device
     * @param engine the engine
     * @param pollTimeout how long each {@code /sync} of {@link #run()} may wait for news on the server
     * @param filter a {@code /sync} filter (inline JSON or a filter id), or null
     */
    public SyncLoop(HomeserverClient client, OlmMachine engine, Duration pollTimeout, @Nullable String filter) {
        this.client = Objects.requireNonNull(client, "client");
        this.engine = Objects.requireNonNull(engine, "engine");
        this.pollTimeout = Objects.requireNonNull(pollTimeout, "pollTimeout");
        if (pollTimeout.isNegative()) throw new IllegalArgumentException("pollTimeout must not be negative");
        this.filter = filter;
        var who = client.requireCredentials();
        if (!who.userId().equals(engine.userId()) || !who.deviceId().equals(engine.deviceId())) {
            throw new IllegalArgumentException("the client is logged in as " + who.userId() + " " + who.deviceId()
                    + ", the engine is " + engine.userId() + " " + engine.deviceId());
        }
    }

    /**
     * Sets who is told of new room keys (a {@code BackupQueue} uploads them to the key backup).
     *
     * @param listener the listener
     * @return this loop
     */
    public SyncLoop onRoomKeys(RoomKeyListener listener) {
        this.roomKeys = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * Sets who is told after each round (to read the rooms of the response, to report progress).
     *
     * @param listener the listener
     * @return this loop
     */
    public SyncLoop onRound(Consumer<SyncRound> listener) {
        this.rounds = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /**
     * One round, with a sync that answers at once.
     *
     * @return what the round did
     * @throws MatrixApiException when the sync itself fails (engine requests that fail are in the result)
     * @throws CancellationException when the thread is interrupted
     */
    public SyncRound syncOnce() {
        return round(Duration.ZERO);
    }

    /**
     * Rounds until {@link #stop()} is called or the thread is interrupted; each sync long-polls.
     *
     * @throws MatrixApiException when the server refuses the sync for good ({@code 4xx}, such as a deleted
     *     device's {@code M_UNKNOWN_TOKEN}); network failures and {@code 5xx} are retried
     */
    public void run() {
        runner = Thread.currentThread();
        long backoffMs = 1000;
        try {
            while (!stopped && !Thread.currentThread().isInterrupted()) {
                try {
                    round(pollTimeout);
                    backoffMs = 1000;
                } catch (MatrixApiException e) {
                    if (e.status() >= 400 && e.status() < 500 && e.status() != 429) throw e;
                    long wait = backoffMs;
                    LOG.log(Level.INFO, () -> "sync failed (" + (e.status() != 0 ? e.status() : e.kind())
                            + "), again in " + wait + " ms");
                    try {
                        Thread.sleep(wait);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                    backoffMs = Math.min(MAX_BACKOFF.toMillis(), backoffMs * 2);
                } catch (CancellationException e) {
                    if (stopped) return;
                    throw e;
                }
            }
        } finally {
            runner = null;
            // The interrupt was stop()'s own: cleared, so that the caller can close its store and files normally.
            if (stopped) Thread.interrupted();
        }
    }

    /** Stops {@link #run()}: a sync in flight is abandoned (its response was not taken in, so nothing is lost). */
    public void stop() {
        stopped = true;
        Thread t = runner;
        if (t != null) t.interrupt();
    }

    private SyncRound round(Duration timeout) {
        List<RequestFailure> failures = new ArrayList<>();
        Set<String> refused = new LinkedHashSet<>(); // sent again next round, not twice in this one
        int sent = sendOutgoing(failures, refused);
        String since = engine.syncToken().orElse(null);
        String body = client.sync(since, since == null ? Duration.ZERO : timeout, filter);
        JsonNode response = ClientJson.tree(body);
        JsonNode next = response.get("next_batch");
        if (next == null || !next.isTextual()) {
            throw MatrixApiException.badResponse("GET /_matrix/client/v3/sync", 200,
                    "the sync response has no next_batch string");
        }
        // Members first: a device list that changed in this response is then already tracked.
        Set<String> members = joinedMembers(response);
        if (!members.isEmpty()) engine.updateTrackedUsers(members);
        // Before the room keys: a key that arrives with its room's flag in the same response is flagged as stored.
        for (String room : doNotStoreRooms(response)) engine.markRoomDoNotStore(room);
        List<ToDeviceResult> results = engine.receiveSyncChanges(EngineTrees.syncChanges(response),
                next.textValue());
        List<RoomKeyRecord> keys = newRoomKeys(results);
        if (!keys.isEmpty()) roomKeys.received(keys);
        sent += sendOutgoing(failures, refused);
        SyncRound round = new SyncRound(since, next.textValue(), body, results, keys, sent, failures);
        rounds.accept(round);
        return round;
    }

    /** Sends the engine's queue until it is empty or only refused requests are left. */
    private int sendOutgoing(List<RequestFailure> failures, Set<String> refused) {
        int sent = 0;
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            List<OutgoingRequest> queue = engine.outgoingRequests().stream()
                    .filter(r -> !refused.contains(r.id())).toList();
            if (queue.isEmpty()) break;
            for (OutgoingRequest request : queue) {
                String answer;
                try {
                    answer = client.sendRaw(request.method(), request.path(),
                            HttpRequest.BodyPublishers.ofString(request.bodyJson()), "application/json", String.class);
                    if (!ClientJson.isObject(answer)) {
                        throw MatrixApiException.badResponse(request.method() + " " + request.type().pathTemplate(),
                                200, "the response is not a JSON object");
                    }
                } catch (MatrixApiException e) {
                    refused.add(request.id());
                    failures.add(new RequestFailure(request.id(), request.type(), e.status(), e.errcode().orElse(null)));
                    LOG.log(Level.INFO, () -> request.type() + " failed (" + (e.status() != 0 ? e.status() : e.kind())
                            + "); it stays queued");
                    continue;
                }
                engine.markRequestSent(request.id(), answer);
                sent++;
            }
        }
        return sent;
    }

    /** The joined rooms whose {@code m.room.encryption} in this response asks for panolm's do-not-store flag. */
    static Set<String> doNotStoreRooms(JsonNode sync) {
        Set<String> rooms = new LinkedHashSet<>();
        for (var room : sync.path("rooms").path("join").properties()) {
            for (String section : new String[] {"state", "timeline"}) {
                for (JsonNode event : room.getValue().path(section).path("events")) {
                    if ("m.room.encryption".equals(event.path("type").asText())
                            && "".equals(event.path("state_key").asText(null))
                            && EngineTrees.doNotStore(event.path("content"))) {
                        rooms.add(room.getKey());
                    }
                }
            }
        }
        return rooms;
    }

    /** The joined and invited members the response shows, in the state and timeline of its joined rooms. */
    private static Set<String> joinedMembers(JsonNode sync) {
        Set<String> members = new LinkedHashSet<>();
        for (JsonNode room : sync.path("rooms").path("join")) {
            for (String section : new String[] {"state", "timeline"}) {
                for (JsonNode event : room.path(section).path("events")) {
                    if (!"m.room.member".equals(event.path("type").asText())) continue;
                    String membership = event.path("content").path("membership").asText();
                    JsonNode user = event.get("state_key");
                    if (user != null && user.isTextual() && ("join".equals(membership) || "invite".equals(membership))) {
                        members.add(user.textValue());
                    }
                }
            }
        }
        return members;
    }

    /** The stored copies of the room keys that decrypted to-device events carried. */
    private List<RoomKeyRecord> newRoomKeys(List<ToDeviceResult> results) {
        Map<String, String[]> sessions = new LinkedHashMap<>();
        for (ToDeviceResult r : results) {
            if (!(r instanceof ToDeviceResult.Decrypted d)) continue;
            JsonNode event = ClientJson.tree(d.event());
            String type = event.path("type").asText();
            if (!type.equals("m.room_key") && !type.equals("m.forwarded_room_key")) continue;
            JsonNode content = event.path("content");
            String room = content.path("room_id").asText(null);
            String session = content.path("session_id").asText(null);
            if (room != null && session != null) sessions.put(room + "\u0000" + session, new String[] {room, session});
        }
        List<RoomKeyRecord> keys = new ArrayList<>();
        for (String[] s : sessions.values()) {
            // A do-not-store session is not announced: the listeners back keys up, and its key must stay here.
            if (!engine.doNotStore(s[0], s[1])) keys.addAll(engine.roomKeys(s[0], s[1]));
        }
        return keys;
    }
}
