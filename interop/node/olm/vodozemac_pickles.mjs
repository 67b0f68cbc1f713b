// vodozemac's own pickles, from the place they really live: two matrix-sdk-crypto-wasm OlmMachines (vodozemac
// inside), Alice and Bob, each persisting to an IndexedDB crypto store (fake-indexeddb, in memory) opened without
// a passphrase, so the store keeps each record as base64 of its JSON: the account record holds vodozemac's
// AccountPickle in its "pickle" field, each session record a SessionPickle. Driven line by line like
// olm_machine.mjs: each stdin line a JSON command, each answer one JSON line.
//   {"op":"setup"} -> runs the exchange below and answers
//       {"alice": peer, "bob": peer, "bob_next": {type, body}, "bob_skipped": {type, body},
//        "bob_next_content", "bob_skipped_content"}
//       with peer = {"user_id", "device_id", "curve25519", "ed25519", "pending_upload" (the keys upload body
//                    the machine has ready, not sent),
//                    "account": record JSON text, "sessions": [record JSON text, ...]}, the records read out of
//       the store after:
//         1. Alice claims one of Bob's one-time keys and sends him a pre-key message; Bob decrypts it;
//         2. Bob answers (his sending ratchet becomes active); Alice decrypts it;
//         3. Alice sends three messages on a new ratchet; Bob decrypts the first and the third only (the
//            second's message key stays in his store as a skipped key; his sending ratchet is inactive).
//       bob_skipped is that second message, bob_next a fourth one Bob's machine never sees: both for a copy
//       of Bob's session loaded elsewhere to decrypt.
//   {"op":"many_keys", "rounds"} -> peer: a third machine, Carol, after `rounds` uploads of one-time keys that no one
//       claims: an account holding more one-time keys than libolm's 100.
//   {"op":"bob_encrypt", "content"} -> {"message": {type, body}}: Bob's machine sends on to Alice (for a copy of
//       Alice's session loaded elsewhere).
//   {"op":"receive", "peer": "alice"|"bob", "events": [{type, sender, content}]} -> {"decrypted": [raw events],
//       "others": n}
import "fake-indexeddb/auto";
import { createInterface } from "node:readline";
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

await sdk.initAsync();

class Peer {
    constructor(user, device) {
        this.user = user;
        this.device = device;
        this.store = `vodozemac-pickles-${device}`;
    }

    async init() {
        const handle = await sdk.StoreHandle.open(this.store, null);
        this.machine = await sdk.OlmMachine.initFromStore(new sdk.UserId(this.user), new sdk.DeviceId(this.device), handle);
        await this.flush();
    }

    async flush() {
        for (const r of await this.machine.outgoingRequests()) {
            const body = JSON.parse(r.body);
            let response = "{}";
            if (r.type === sdk.RequestType.KeysUpload) {
                if (body.device_keys) this.deviceKeys = body.device_keys;
                if (body.one_time_keys) this.oneTimeKeys = body.one_time_keys;
                response = JSON.stringify({ one_time_key_counts: { signed_curve25519: 50 } });
            } else if (r.type === sdk.RequestType.KeysQuery) {
                const other = this.other;
                response = JSON.stringify({ device_keys: { [other.user]: { [other.device]: other.deviceKeys } }, failures: {} });
            }
            await this.machine.markRequestAsSent(r.id, r.type, response);
        }
    }

    async track() {
        await this.machine.updateTrackedUsers([new sdk.UserId(this.other.user)]);
        await this.flush();
    }

    async claimFromOther() {
        const request = await this.machine.getMissingSessions([new sdk.UserId(this.other.user)]);
        if (!request) return;
        const [id, key] = Object.entries(this.other.oneTimeKeys)[0];
        const response = { one_time_keys: { [this.other.user]: { [this.other.device]: { [id]: key } } }, failures: {} };
        await this.machine.markRequestAsSent(request.id, sdk.RequestType.KeysClaim, JSON.stringify(response));
    }

    /** The Olm message for the other peer in an m.room.encrypted content this machine makes. */
    async encrypt(content) {
        const device = await this.machine.getDevice(new sdk.UserId(this.other.user), new sdk.DeviceId(this.other.device));
        const encrypted = JSON.parse(await device.encryptToDeviceEvent("org.panolm.test", content));
        return encrypted;
    }

    async receive(events) {
        const processed = await this.machine.receiveSyncChanges(JSON.stringify(events), new sdk.DeviceLists(), new Map(),
            new Set());
        const decrypted = [];
        let others = 0;
        for (const e of processed) {
            if (e.type === sdk.ProcessedToDeviceEventType.Decrypted) decrypted.push(JSON.parse(e.rawEvent));
            else others++;
        }
        return { decrypted, others };
    }

    async receiveFrom(sender, content) {
        const result = await this.receive([{ type: "m.room.encrypted", sender: sender.user, content }]);
        if (result.decrypted.length !== 1) throw new Error(`${this.device} could not decrypt: ${JSON.stringify(result)}`);
        return result.decrypted[0];
    }

    /** The store's records, as the JSON text the store keeps (base64-decoded). */
    async records() {
        const db = await new Promise((resolve, reject) => {
            const q = indexedDB.open(`${this.store}::matrix-sdk-crypto`);
            q.onsuccess = () => resolve(q.result);
            q.onerror = () => reject(q.error);
        });
        const all = (name, key) => new Promise((resolve, reject) => {
            const q = key === undefined ? db.transaction(name).objectStore(name).getAll()
                : db.transaction(name).objectStore(name).get(key);
            q.onsuccess = () => resolve(q.result);
            q.onerror = () => reject(q.error);
        });
        const text = (value) => {
            if (typeof value !== "string") throw new Error("the store encrypted its records: " + JSON.stringify(value).slice(0, 80));
            return Buffer.from(value, "base64").toString("utf8");
        };
        // The keys the machine would upload next (unsent, so its unpublished keys stay unpublished): vodozemac's
        // own public keys and key names, for the loaded account to match.
        const upload = (await this.machine.outgoingRequests()).find((r) => r.type === sdk.RequestType.KeysUpload);
        const account = text(await all("core", "account"));
        const sessions = (await all("session")).map(text);
        db.close();
        return {
            user_id: this.user, device_id: this.device,
            curve25519: this.machine.identityKeys.curve25519.toBase64(),
            ed25519: this.machine.identityKeys.ed25519.toBase64(),
            pending_upload: upload ? JSON.parse(upload.body) : {},
            account, sessions,
        };
    }
}

const alice = new Peer("@alice:example.org", "ALICEDEV");
const bob = new Peer("@bob:example.org", "BOBDEV");
alice.other = bob;
bob.other = alice;

function olmMessage(content, to) {
    return content.ciphertext[to.machine.identityKeys.curve25519.toBase64()];
}

async function setup() {
    await alice.init();
    await bob.init();
    await alice.track();
    await bob.track();
    // 1.
    await alice.claimFromOther();
    await bob.receiveFrom(alice, await alice.encrypt({ n: 1 }));
    // 2.
    await alice.receiveFrom(bob, await bob.encrypt({ n: 2 }));
    // 3.
    const m3 = await alice.encrypt({ n: 3 });
    const m4 = await alice.encrypt({ n: 4 });
    const m5 = await alice.encrypt({ n: 5 });
    await bob.receiveFrom(alice, m3);
    await bob.receiveFrom(alice, m5);
    const m6 = await alice.encrypt({ n: 6 });
    return {
        alice: await alice.records(),
        bob: await bob.records(),
        bob_skipped: olmMessage(m4, bob), bob_skipped_content: { n: 4 },
        bob_next: olmMessage(m6, bob), bob_next_content: { n: 6 },
    };
}

/** A machine that has uploaded `rounds` batches of one-time keys, none claimed: its account holds them all. */
async function manyKeys(rounds) {
    const carol = new Peer("@carol:example.org", "CAROLDEV");
    carol.other = alice;
    const handle = await sdk.StoreHandle.open(carol.store, null);
    carol.machine = await sdk.OlmMachine.initFromStore(new sdk.UserId(carol.user), new sdk.DeviceId(carol.device), handle);
    for (let i = 0; i < rounds; i++) {
        for (const r of await carol.machine.outgoingRequests()) {
            // The server says it holds none, so the machine makes and uploads another batch.
            const response = r.type === sdk.RequestType.KeysUpload
                ? { one_time_key_counts: { signed_curve25519: 0 } } : {};
            await carol.machine.markRequestAsSent(r.id, r.type, JSON.stringify(response));
        }
        await carol.machine.receiveSyncChanges("[]", new sdk.DeviceLists(), new Map([["signed_curve25519", 0]]), new Set());
    }
    return carol.records();
}

async function handle(cmd) {
    switch (cmd.op) {
        case "setup":
            return setup();
        case "many_keys":
            return manyKeys(cmd.rounds);
        case "bob_encrypt":
            return { message: olmMessage(await bob.encrypt(cmd.content), alice) };
        case "receive":
            return (cmd.peer === "alice" ? alice : bob).receive(cmd.events);
        default:
            throw new Error("unknown op " + cmd.op);
    }
}

const rl = createInterface({ input: process.stdin });
for await (const line of rl) {
    if (!line.trim()) continue;
    try {
        process.stdout.write(JSON.stringify(await handle(JSON.parse(line))) + "\n");
    } catch (e) {
        process.stdout.write(JSON.stringify({ error: String(e && e.stack || e) }) + "\n");
    }
}
