// A matrix-sdk-crypto-wasm (vodozemac) device that takes part in one SAS verification with a peer device,
// driven line by line: each stdin line is a JSON command, each answer one JSON line on stdout.
//   {"op":"init", "user_id", "device_id", "peer_user", "peer_device_keys"}   -> {"device_key", "user_id", "device_id"}
//   {"op":"request"}                     -> {"events": [...]}   (the machine requests verification of the peer)
//   {"op":"receive", "events": [{type, content, event_id?}], "room_id"?} -> {"events", "state"}
//       (with room_id the events are room events of an in-room verification; each needs an event_id)
//       (then answers automatically: accepts a request, starts SAS if it requested, accepts a start)
//   {"op":"confirm"}                     -> {"events", "state"}   (the user says the emoji match)
//   {"op":"mismatch"}                    -> {"events", "state"}   (the user says they differ)
// "events" are the to-device events for the peer; "state" tells emoji indices, decimals, done, cancel code.
import { createInterface } from "node:readline";
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

await sdk.initAsync();
let machine, peerUser, peerDeviceKeys, request, sas;

async function flush() {
    const events = [];
    for (const r of await machine.outgoingRequests()) {
        if (r.type === sdk.RequestType.ToDevice || r.type === sdk.RequestType.RoomMessage) {
            events.push(...toDevice(r));
            await machine.markRequestAsSent(r.id, r.type, JSON.stringify(r.type === sdk.RequestType.RoomMessage ? { event_id: "$wasm-" + r.id } : {}));
        } else if (r.type === sdk.RequestType.KeysUpload) {
            await machine.markRequestAsSent(r.id, r.type, JSON.stringify({ one_time_key_counts: { signed_curve25519: 50 } }));
        } else if (r.type === sdk.RequestType.KeysQuery) {
            const response = { device_keys: { [peerUser]: { [peerDeviceKeys.device_id]: peerDeviceKeys } }, failures: {} };
            await machine.markRequestAsSent(r.id, r.type, JSON.stringify(response));
        } else if (r.type === sdk.RequestType.SignatureUpload) {
            await machine.markRequestAsSent(r.id, r.type, JSON.stringify({ failures: {} }));
        }
    }
    return events;
}

function toDevice(r) {
    if (!r) return [];
    if (r.type === sdk.RequestType.RoomMessage) return [{ type: r.event_type, content: JSON.parse(r.body) }];
    const body = JSON.parse(r.body);
    const out = [];
    for (const devices of Object.values(body.messages)) {
        for (const content of Object.values(devices)) out.push({ type: r.event_type, content });
    }
    return out;
}

function state() {
    const s = { done: false, cancel_code: null };
    if (request) {
        s.request_phase = request.phase();
        if (request.cancelInfo) s.cancel_code = request.cancelInfo.cancelCode();
        s.done = request.isDone();
    }
    if (sas) {
        const idx = sas.emojiIndex();
        if (idx) s.emoji_indices = Array.from(idx);
        const dec = sas.decimals();
        if (dec) s.decimals = Array.from(dec);
        const info = sas.cancelInfo();
        if (info) s.cancel_code = info.cancelCode();
        s.done = s.done || sas.isDone();
    }
    return s;
}

async function handle(cmd) {
    const events = [];
    switch (cmd.op) {
        case "init": {
            machine = await sdk.OlmMachine.initialize(new sdk.UserId(cmd.user_id), new sdk.DeviceId(cmd.device_id));
            peerUser = cmd.peer_user;
            peerDeviceKeys = cmd.peer_device_keys;
            await machine.updateTrackedUsers([new sdk.UserId(peerUser)]);
            await flush();
            return { device_key: machine.identityKeys.ed25519.toBase64(), user_id: cmd.user_id, device_id: cmd.device_id };
        }
        case "request": {
            const device = await machine.getDevice(new sdk.UserId(peerUser), new sdk.DeviceId(peerDeviceKeys.device_id));
            const [req, out] = await device.requestVerification([sdk.VerificationMethod.SasV1]);
            request = req;
            events.push(...toDevice(out));
            break;
        }
        case "receive": {
            if (cmd.room_id) {
                for (const e of cmd.events) {
                    const event = { sender: peerUser, type: e.type, content: e.content, event_id: e.event_id,
                        origin_server_ts: Date.now(), room_id: cmd.room_id };
                    await machine.receiveVerificationEvent(JSON.stringify(event), new sdk.RoomId(cmd.room_id));
                }
            } else {
                const toDeviceEvents = cmd.events.map((e) => ({ sender: peerUser, type: e.type, content: e.content }));
                await machine.receiveSyncChanges(JSON.stringify(toDeviceEvents), new sdk.DeviceLists(), new Map(), new Set());
            }
            for (const e of cmd.events) {
                const flow = e.content.transaction_id ?? e.content["m.relates_to"]?.event_id ?? e.event_id;
                request = request ?? machine.getVerificationRequest(new sdk.UserId(peerUser), flow);
            }
            if (request && !request.weStarted() && request.phase() === sdk.VerificationRequestPhase.Requested) {
                events.push(...toDevice(request.acceptWithMethods([sdk.VerificationMethod.SasV1])));
            }
            if (request && request.weStarted() && request.isReady() && !sas && !request.getVerification()) {
                const started = await request.startSas();
                if (started) {
                    sas = started[0];
                    events.push(...toDevice(started[1]));
                }
            }
            const v = request?.getVerification();
            if (v instanceof sdk.Sas) {
                sas = v;
                if (!sas.weStarted() && !sas.hasBeenAccepted()) events.push(...toDevice(sas.accept()));
            }
            break;
        }
        case "confirm":
            for (const r of await sas.confirm()) events.push(...toDevice(r));
            break;
        case "mismatch":
            events.push(...toDevice(sas.cancelWithCode("m.mismatched_sas")));
            break;
        default:
            throw new Error("unknown op " + cmd.op);
    }
    events.push(...(await flush()));
    return { events, state: state() };
}

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
    if (!line.trim()) continue;
    let answer;
    try {
        answer = await handle(JSON.parse(line));
    } catch (e) {
        answer = { error: String(e && e.stack ? e.stack : e) };
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
}
