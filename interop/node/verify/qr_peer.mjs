// A matrix-sdk-crypto-wasm device with its own cross-signing identity, taking part in one QR-code
// verification with a peer user, driven line by line (one JSON command per stdin line, one JSON answer per line).
//   {"op":"init", "user_id", "device_id", "peer_user", "peer_device_keys", "peer_master_key", "peer_self_signing_key"}
//        -> {"device_key", "master_key"}
//   {"op":"receive", "events": [{type, content}]} -> {"events", "state"}   (accepts a request automatically)
//   {"op":"show"}                  -> {"qr": base64 of the QR payload, "state"}
//   {"op":"scan", "qr": base64}    -> {"events", "state"}   (scans the peer's code and reciprocates)
//   {"op":"confirm_scanning"}      -> {"events", "state"}   (our user confirms the peer scanned our code)
import { createInterface } from "node:readline";
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

await sdk.initAsync();
let machine, init, request, qr;

async function flush() {
    const events = [];
    for (const r of await machine.outgoingRequests()) {
        if (r.type === sdk.RequestType.ToDevice) {
            events.push(...toDevice(r));
            await machine.markRequestAsSent(r.id, r.type, "{}");
        } else if (r.type === sdk.RequestType.KeysUpload) {
            await machine.markRequestAsSent(r.id, r.type, JSON.stringify({ one_time_key_counts: { signed_curve25519: 50 } }));
        } else if (r.type === sdk.RequestType.KeysQuery) {
            const u = init.peer_user;
            const response = {
                device_keys: { [u]: { [init.peer_device_keys.device_id]: init.peer_device_keys } },
                master_keys: { [u]: init.peer_master_key },
                self_signing_keys: { [u]: init.peer_self_signing_key },
                failures: {},
            };
            await machine.markRequestAsSent(r.id, r.type, JSON.stringify(response));
        } else if (r.type === sdk.RequestType.SignatureUpload) {
            await machine.markRequestAsSent(r.id, r.type, JSON.stringify({ failures: {} }));
        }
    }
    return events;
}

function toDevice(r) {
    if (!r) return [];
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
        s.ready = request.isReady();
        if (request.cancelInfo) s.cancel_code = request.cancelInfo.cancelCode();
        s.done = request.isDone();
    }
    if (qr) {
        s.scanned = qr.hasBeenScanned();
        s.reciprocated = qr.reciprocated();
        s.done = s.done || qr.isDone();
        const info = qr.cancelInfo();
        if (info) s.cancel_code = info.cancelCode();
    }
    return s;
}

async function handle(cmd) {
    const out = { events: [] };
    switch (cmd.op) {
        case "init": {
            init = cmd;
            machine = await sdk.OlmMachine.initialize(new sdk.UserId(cmd.user_id), new sdk.DeviceId(cmd.device_id));
            const boot = await machine.bootstrapCrossSigning(true);
            const masterKey = JSON.parse(boot.uploadSigningKeysRequest.body).master_key;
            await machine.updateTrackedUsers([new sdk.UserId(cmd.peer_user)]);
            await flush();
            return { device_key: machine.identityKeys.ed25519.toBase64(), master_key: Object.values(masterKey.keys)[0] };
        }
        case "receive": {
            const toDeviceEvents = cmd.events.map((e) => ({ sender: init.peer_user, type: e.type, content: e.content }));
            await machine.receiveSyncChanges(JSON.stringify(toDeviceEvents), new sdk.DeviceLists(), new Map(), new Set());
            for (const e of cmd.events) {
                request = request ?? machine.getVerificationRequest(new sdk.UserId(init.peer_user), e.content.transaction_id);
            }
            if (request && !request.weStarted() && request.phase() === sdk.VerificationRequestPhase.Requested) {
                out.events.push(...toDevice(request.accept()));
            }
            const v = request?.getVerification();
            if (v instanceof sdk.Qr) qr = v;
            break;
        }
        case "show":
            qr = await request.generateQrCode();
            out.qr = Buffer.from(qr.toBytes()).toString("base64");
            break;
        case "scan": {
            const bytes = new Uint8ClampedArray(Buffer.from(cmd.qr, "base64"));
            qr = await request.scanQrCode(sdk.QrCodeScan.fromBytes(bytes));
            out.events.push(...toDevice(qr.reciprocate()));
            break;
        }
        case "confirm_scanning":
            out.events.push(...toDevice(qr.confirmScanning()));
            break;
        default:
            throw new Error("unknown op " + cmd.op);
    }
    out.events.push(...(await flush()));
    out.state = state();
    return out;
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
