// A homeserver's key and to-device endpoints, in memory, for OlmMachines of one script: it answers their
// keys/upload, keys/query, keys/claim and sendToDevice requests, and can hold fabricated devices (real,
// correctly signed keys made with node:crypto) that only ever receive.
import { generateKeyPairSync, sign } from "node:crypto";

const b64 = (buf) => Buffer.from(buf).toString("base64").replace(/=+$/, "");

/** Matrix canonical JSON: keys sorted, no insignificant whitespace (enough for the objects signed here). */
export function canonical(value) {
    if (Array.isArray(value)) return "[" + value.map(canonical).join(",") + "]";
    if (value !== null && typeof value === "object") {
        return "{" + Object.keys(value).sort().map((k) => JSON.stringify(k) + ":" + canonical(value[k])).join(",") + "}";
    }
    return JSON.stringify(value);
}

function keyPair(type) {
    const { publicKey, privateKey } = generateKeyPairSync(type);
    const der = publicKey.export({ format: "der", type: "spki" });
    return { publicKey: b64(der.subarray(der.length - 32)), privateKey };
}

/** Signs `object` (without its signatures) as `user`'s device `device` and adds the signature to it. */
function signAs(object, user, device, ed25519Private) {
    const signature = b64(sign(null, Buffer.from(canonical(object)), ed25519Private));
    object.signatures = { [user]: { ["ed25519:" + device]: signature } };
    return object;
}

export class Router {
    constructor(wasm) {
        this.wasm = wasm;
        this.deviceKeys = new Map(); // user -> Map(device -> device_keys)
        this.oneTimeKeys = new Map(); // "user|device" -> [[key id, signed key]]
        this.inbox = new Map(); // "user|device" -> to-device events not yet delivered
        this.fallbackKeys = new Map(); // "user|device" -> algorithms of its unused fallback keys
    }

    /** A device that exists only here: signed device keys and `keys` signed one-time keys. */
    fabricateDevice(user, device, keys) {
        const ed25519 = keyPair("ed25519");
        const deviceKeys = signAs({
            user_id: user, device_id: device,
            algorithms: ["m.olm.v1.curve25519-aes-sha2", "m.megolm.v1.aes-sha2"],
            keys: { ["curve25519:" + device]: keyPair("x25519").publicKey, ["ed25519:" + device]: ed25519.publicKey },
        }, user, device, ed25519.privateKey);
        const oneTime = [];
        for (let i = 0; i < keys; i++) {
            oneTime.push(["signed_curve25519:" + "AAAA" + i.toString(36).toUpperCase(),
                signAs({ key: keyPair("x25519").publicKey }, user, device, ed25519.privateKey)]);
        }
        this.#store(user, device, deviceKeys, oneTime);
    }

    /** Sends every outgoing request of `machine` here and hands it the answers, until it has none left. */
    async flush(machine) {
        for (;;) {
            const requests = await machine.outgoingRequests();
            if (requests.length === 0) return;
            for (const r of requests) await this.send(machine, r);
        }
    }

    /** Answers one request of `machine` and marks it sent. */
    async send(machine, request) {
        await machine.markRequestAsSent(request.id, request.type, JSON.stringify(this.#answer(machine, request)));
    }

    /** Queues an event `sender` sent to `receiver`'s device outside a request (as Device.encryptToDeviceEvent). */
    queue(sender, receiver, type, content) {
        this.#queue(sender.userId.toString(), receiver.userId.toString(), receiver.deviceId.toString(), type, content);
    }

    #queue(sender, user, device, type, content) {
        const id = user + "|" + device;
        if (!this.inbox.has(id)) this.inbox.set(id, []);
        this.inbox.get(id).push({ sender, type, content });
    }

    /** The to-device events waiting for `machine`, as the JSON a sync carries; the inbox is emptied. */
    takeToDevice(machine) {
        const id = machine.userId.toString() + "|" + machine.deviceId.toString();
        const events = this.inbox.get(id) ?? [];
        this.inbox.delete(id);
        return JSON.stringify(events);
    }

    /**
     * What a sync tells `machine` about its keys here: one-time key counts and unused fallback key types
     * (passing less makes it generate keys again on every sync).
     */
    keyCounts(machine) {
        const id = machine.userId.toString() + "|" + machine.deviceId.toString();
        return [new Map([["signed_curve25519", this.oneTimeKeys.get(id)?.length ?? 0]]),
            new Set(this.fallbackKeys.get(id) ?? [])];
    }

    #store(user, device, deviceKeys, oneTime) {
        if (!this.deviceKeys.has(user)) this.deviceKeys.set(user, new Map());
        if (deviceKeys) this.deviceKeys.get(user).set(device, deviceKeys);
        const id = user + "|" + device;
        if (!this.oneTimeKeys.has(id)) this.oneTimeKeys.set(id, []);
        this.oneTimeKeys.get(id).push(...oneTime);
        return this.oneTimeKeys.get(id).length;
    }

    #answer(machine, request) {
        const T = this.wasm.RequestType;
        const body = JSON.parse(request.body);
        const user = machine.userId.toString();
        switch (request.type) {
            case T.KeysUpload: {
                const device = machine.deviceId.toString();
                const count = this.#store(user, device, body.device_keys, Object.entries(body.one_time_keys ?? {}));
                const fallback = Object.keys(body.fallback_keys ?? {}).map((id) => id.split(":")[0]);
                if (fallback.length > 0) this.fallbackKeys.set(user + "|" + device, fallback);
                return { one_time_key_counts: { signed_curve25519: count } };
            }
            case T.KeysQuery: {
                const device_keys = {};
                for (const u of Object.keys(body.device_keys)) {
                    device_keys[u] = Object.fromEntries(this.deviceKeys.get(u) ?? []);
                }
                return { device_keys, failures: {}, master_keys: {}, self_signing_keys: {}, user_signing_keys: {} };
            }
            case T.KeysClaim: {
                const one_time_keys = {};
                for (const [u, devices] of Object.entries(body.one_time_keys)) {
                    one_time_keys[u] = {};
                    for (const d of Object.keys(devices)) {
                        const key = this.oneTimeKeys.get(u + "|" + d)?.shift();
                        if (key) one_time_keys[u][d] = Object.fromEntries([key]);
                    }
                }
                return { one_time_keys, failures: {} };
            }
            case T.ToDevice: {
                for (const [u, devices] of Object.entries(body.messages)) {
                    for (const [d, content] of Object.entries(devices)) this.#queue(user, u, d, request.event_type, content);
                }
                return {};
            }
            default:
                throw new Error("router: unexpected request type " + request.type);
        }
    }
}
