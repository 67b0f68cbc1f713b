// A matrix-sdk-crypto-wasm OlmMachine (vodozemac inside) that exchanges Olm-encrypted to-device messages with
// one peer device, driven line by line: each stdin line is a JSON command, each answer one JSON line on stdout.
// Its Olm sessions are internal to the machine; this is how the public API reaches them.
//   {"op":"init", "user_id", "device_id", "peer_user", "peer_device_keys", "peer_one_time_keys"}
//       -> {"curve25519", "ed25519", "one_time_keys"}   (the machine's identity keys and uploaded one-time keys)
//   {"op":"encrypt", "event_type", "content"}   -> {"content"}  (an m.room.encrypted content for the peer device;
//       the first one claims one of the peer's one-time keys)
//   {"op":"share_room_key", "room_id"}          -> {"contents": [...]} (the m.room_key for the peer, Olm-encrypted)
//   {"op":"encrypt_room_event", "room_id", "event_type", "content"} -> {"content"} (Megolm, after share_room_key)
//   {"op":"receive", "events": [{type, sender, content}]} -> {"decrypted": [raw events], "others": n}
import { createInterface } from "node:readline";
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

await sdk.initAsync();
let machine, peerUser, peerDeviceKeys, peerOneTimeKeys, uploaded;

async function flush() {
    for (const r of await machine.outgoingRequests()) {
        if (r.type === sdk.RequestType.KeysUpload) {
            const body = JSON.parse(r.body);
            if (body.one_time_keys) uploaded = body;
            await machine.markRequestAsSent(r.id, r.type, JSON.stringify({ one_time_key_counts: { signed_curve25519: 50 } }));
        } else if (r.type === sdk.RequestType.KeysQuery) {
            const response = { device_keys: { [peerUser]: { [peerDeviceKeys.device_id]: peerDeviceKeys } }, failures: {} };
            await machine.markRequestAsSent(r.id, r.type, JSON.stringify(response));
        } else if (r.type === sdk.RequestType.ToDevice) {
            await machine.markRequestAsSent(r.id, r.type, "{}");
        }
    }
}

async function claim() {
    const request = await machine.getMissingSessions([new sdk.UserId(peerUser)]);
    if (request) {
        const response = { one_time_keys: { [peerUser]: { [peerDeviceKeys.device_id]: peerOneTimeKeys } }, failures: {} };
        await machine.markRequestAsSent(request.id, sdk.RequestType.KeysClaim, JSON.stringify(response));
    }
}

function contentsFor(requests) {
    const out = [];
    for (const r of requests) {
        const body = JSON.parse(r.body);
        const content = body.messages?.[peerUser]?.[peerDeviceKeys.device_id];
        if (content) out.push(content);
    }
    return out;
}

async function handle(cmd) {
    switch (cmd.op) {
        case "init": {
            machine = await sdk.OlmMachine.initialize(new sdk.UserId(cmd.user_id), new sdk.DeviceId(cmd.device_id));
            peerUser = cmd.peer_user;
            peerDeviceKeys = cmd.peer_device_keys;
            peerOneTimeKeys = cmd.peer_one_time_keys;
            await flush();
            await machine.updateTrackedUsers([new sdk.UserId(peerUser)]);
            await flush();
            return {
                curve25519: machine.identityKeys.curve25519.toBase64(),
                ed25519: machine.identityKeys.ed25519.toBase64(),
                one_time_keys: uploaded.one_time_keys,
            };
        }
        case "encrypt": {
            await claim();
            const device = await machine.getDevice(new sdk.UserId(peerUser), new sdk.DeviceId(peerDeviceKeys.device_id));
            return { content: JSON.parse(await device.encryptToDeviceEvent(cmd.event_type, cmd.content)) };
        }
        case "share_room_key": {
            await claim();
            const requests = await machine.shareRoomKey(new sdk.RoomId(cmd.room_id), [new sdk.UserId(peerUser)],
                new sdk.EncryptionSettings());
            const contents = contentsFor(requests);
            for (const r of requests) await machine.markRequestAsSent(r.id, sdk.RequestType.ToDevice, "{}");
            return { contents };
        }
        case "encrypt_room_event": {
            const content = await machine.encryptRoomEvent(new sdk.RoomId(cmd.room_id), cmd.event_type,
                JSON.stringify(cmd.content));
            return { content: JSON.parse(content) };
        }
        case "receive": {
            const processed = await machine.receiveSyncChanges(JSON.stringify(cmd.events), new sdk.DeviceLists(),
                new Map(), new Set());
            const decrypted = [];
            let others = 0;
            for (const e of processed) {
                if (e.type === sdk.ProcessedToDeviceEventType.Decrypted) decrypted.push(JSON.parse(e.rawEvent));
                else others++;
            }
            return { decrypted, others };
        }
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
