package org.panolm.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.panolm.testkit.http.MatrixHandler;

import tools.jackson.databind.JsonNode;

/** Requests run on virtual threads, so many long-polling syncs cost no platform threads. */
class ServerThreadsTest {
    @Test
    void manyLongPollsParkOnVirtualThreadsAndAllWake() throws Exception {
        ConcurrentLinkedQueue<Boolean> virtual = new ConcurrentLinkedQueue<>();
        TestHomeserver.Builder b = TestHomeserver.builder().wrapRoutes(real -> (MatrixHandler.Routes) (op, call) -> {
            virtual.add(Thread.currentThread().isVirtual());
            return real.route(op, call);
        });
        try (TestHomeserver server = b.start();
                var clients = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            Client alice = Client.register(server.baseUrl(), "alice", "pw");
            String room = alice.createRoom("{}");
            String since = alice.sync(null, 0).path("next_batch").asString();
            List<CompletableFuture<JsonNode>> polls = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                polls.add(CompletableFuture.supplyAsync(() -> alice.sync(since, 30_000), clients));
            }
            Thread.sleep(1500);
            assertTrue(polls.stream().noneMatch(CompletableFuture::isDone), "all wait");
            alice.sendEvent(room, "m.room.message", "t", "{\"msgtype\":\"m.text\",\"body\":\"all\"}");
            for (CompletableFuture<JsonNode> p : polls) {
                JsonNode r = p.get(20, TimeUnit.SECONDS);
                assertEquals("all", r.path("rooms").path("join").path(room).path("timeline").path("events")
                        .path(0).path("content").path("body").asString());
            }
            assertTrue(virtual.stream().allMatch(v -> v), "every endpoint ran on a virtual thread");
            server.assertNoViolations();
        }
    }
}
