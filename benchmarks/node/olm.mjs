// Olm timings of vodozemac inside matrix-sdk-crypto-wasm. Its JavaScript API has no Olm Account or Session,
// so everything goes through OlmMachine (with its in-memory store and its JSON) and the in-script Router:
//   olmCreateSession        claim a one-time key, the first (pre-key) to-device message, the receiver decrypting it
//   olmEncryptAndDecrypt    one normal (type 1) to-device message, encrypted and decrypted, in order
//   olmEncrypt              encrypting one normal to-device message
//   olmEmptySync            a sync with no to-device events: the part of each decryption above that is not Olm
//   olmShare<N>             shareRoomKey to N devices over established sessions, from the call to its requests
import { performance } from "node:perf_hooks";

import { Router } from "./router.mjs";

const EVENT_TYPE = "org.panolm.benchmark";
// The content of each to-device message: 256 bytes of text (OlmMachine adds sender, recipient and keys).
const CONTENT = { body: "x".repeat(256) };

/** A new OlmMachine whose keys (fallback key included) are uploaded, so that a sync makes it generate none. */
async function machine(wasm, router, user, device) {
    const m = await wasm.OlmMachine.initialize(new wasm.UserId(user), new wasm.DeviceId(device));
    await router.flush(m);
    // The first sync that reports fallback key support makes it create one; upload that too.
    await m.receiveSyncChanges("[]", new wasm.DeviceLists([], []), ...router.keyCounts(m));
    await router.flush(m);
    return m;
}

/** Hands `receiver` its to-device events and returns the decrypted ones' contents; anything else fails. */
async function deliver(wasm, router, receiver) {
    const processed = await receiver.receiveSyncChanges(router.takeToDevice(receiver), new wasm.DeviceLists([], []),
        ...router.keyCounts(receiver));
    return processed.map((e) => {
        if (e.type !== wasm.ProcessedToDeviceEventType.Decrypted) {
            throw new Error("olm benchmark: a to-device message was not decrypted: " + e.rawEvent);
        }
        const event = JSON.parse(e.rawEvent);
        if (event.content.body !== CONTENT.body) throw new Error("olm benchmark: decrypted content differs");
        return event;
    });
}

/** Encrypts CONTENT from `sender` to `receiver`'s device and queues it in the router; returns the content. */
async function send(wasm, router, sender, receiver) {
    const device = await sender.getDevice(receiver.userId, receiver.deviceId);
    const content = JSON.parse(await device.encryptToDeviceEvent(EVENT_TYPE, CONTENT));
    device.free();
    router.queue(sender, receiver, "m.room.encrypted", content);
    return content;
}

/** Times `fn(i)` for i in [0, runs) after `warmup` untimed calls; returns the mean ns per call. */
async function mean(fn, warmup, runs) {
    for (let i = 0; i < warmup; i++) await fn(i);
    const start = performance.now();
    for (let i = warmup; i < warmup + runs; i++) await fn(i);
    return { nanosPerOp: ((performance.now() - start) * 1e6) / runs, runs };
}

/** Runs `fn` repeatedly for about `millis` after a warm-up of the same length; returns the mean ns per call. */
async function perCall(fn, millis) {
    const until = async (t) => {
        const end = performance.now() + t;
        let n = 0;
        while (performance.now() < end) await fn(n++);
        return n;
    };
    await until(millis);
    const start = performance.now();
    const n = await until(millis);
    return { nanosPerOp: ((performance.now() - start) * 1e6) / n, runs: n };
}

/** Session creation, then one established session's messages. */
export async function sessions(wasm, quick) {
    const router = new Router(wasm);
    const alice = await machine(wasm, router, "@alice:example.org", "ALICE");
    const warmup = quick ? 3 : 10;
    const runs = quick ? 20 : 100;
    // Each session needs a device alice has none with yet: one receiving machine per timed creation.
    const receivers = [];
    for (let i = 0; i < warmup + runs; i++) {
        const r = await machine(wasm, router, "@bob" + i + ":example.org", "BOB" + i);
        await r.updateTrackedUsers([alice.userId.clone()]);
        await router.flush(r);
        receivers.push(r);
    }
    await alice.updateTrackedUsers(receivers.map((r) => r.userId.clone()));
    await router.flush(alice);

    const results = {};
    results.olmCreateSession = await mean(async (i) => {
        const receiver = receivers[i];
        const claim = await alice.getMissingSessions([receiver.userId.clone()]);
        if (!claim) throw new Error("olm benchmark: no key claim for " + receiver.userId.toString());
        await router.send(alice, claim);
        const content = await send(wasm, router, alice, receiver);
        if (content.ciphertext[receiver.identityKeys.curve25519.toBase64()].type !== 0) {
            throw new Error("olm benchmark: the first message is not a pre-key message");
        }
        if ((await deliver(wasm, router, receiver)).length !== 1) throw new Error("olm benchmark: nothing decrypted");
    }, warmup, runs);

    // bob answers once, so that alice's session has received and sends normal (type 1) messages.
    const bob = receivers[0];
    await send(wasm, router, bob, alice);
    await deliver(wasm, router, alice);
    const millis = quick ? 300 : 2000;
    // What every decryption below pays before any Olm: a sync with no events (OlmMachine commits a store
    // transaction per sync, which pickles its account and reads it back).
    results.olmEmptySync = await perCall(async () => {
        await bob.receiveSyncChanges("[]", new wasm.DeviceLists([], []), ...router.keyCounts(bob));
    }, millis);
    results.olmEncryptAndDecrypt = await perCall(async () => {
        const content = await send(wasm, router, alice, bob);
        if (content.ciphertext[bob.identityKeys.curve25519.toBase64()].type !== 1) {
            throw new Error("olm benchmark: not a normal message");
        }
        if ((await deliver(wasm, router, bob)).length !== 1) throw new Error("olm benchmark: nothing decrypted");
    }, millis);
    // Last: bob does not decrypt these (the router drops them), which would leave gaps for a later decryption.
    results.olmEncrypt = await perCall(async () => {
        await send(wasm, router, alice, bob);
        router.takeToDevice(bob);
    }, millis);
    for (const r of receivers) r.close();
    alice.close();
    return results;
}

/** shareRoomKey to `devices` fabricated devices (one per user) over established Olm sessions. */
export async function share(wasm, devices, runs) {
    const router = new Router(wasm);
    const alice = await machine(wasm, router, "@alice:example.org", "ALICE");
    const users = [];
    for (let i = 0; i < devices; i++) {
        const user = "@user" + i + ":example.org";
        router.fabricateDevice(user, "DEVICE" + i, 1);
        users.push(new wasm.UserId(user));
    }
    await alice.updateTrackedUsers(users.map((u) => u.clone()));
    await router.flush(alice);
    const claim = await alice.getMissingSessions(users.map((u) => u.clone()));
    if (!claim) throw new Error("olm benchmark: no key claim for the share");
    await router.send(alice, claim);
    await router.flush(alice);

    const times = [];
    // One untimed share first warms the code up. Every share must give every device an Olm message.
    for (let i = 0; i <= runs; i++) {
        // A new room each time: a new Megolm session, shared with everyone again.
        const room = new wasm.RoomId("!benchmark" + i + ":example.org");
        const start = performance.now();
        const requests = await alice.shareRoomKey(room, users.map((u) => u.clone()), new wasm.EncryptionSettings());
        const elapsed = (performance.now() - start) * 1e6;
        let messages = 0;
        for (const r of requests) {
            // Devices left out get m.room_key.withheld requests instead: those do not count.
            if (r.event_type === "m.room.encrypted") {
                for (const byDevice of Object.values(JSON.parse(r.body).messages)) {
                    for (const content of Object.values(byDevice)) {
                        if (content.algorithm !== "m.olm.v1.curve25519-aes-sha2") {
                            throw new Error("olm benchmark: a room key went out as " + content.algorithm);
                        }
                        messages++;
                    }
                }
            }
            await alice.markRequestAsSent(r.id, r.type, "{}");
        }
        if (messages !== devices) {
            throw new Error("olm benchmark: shareRoomKey encrypted for " + messages + " of " + devices + " devices");
        }
        if (i > 0) times.push(elapsed);
    }
    alice.close();
    times.sort((a, b) => a - b);
    return { nanosPerOp: times[Math.floor(times.length / 2)], runs };
}
