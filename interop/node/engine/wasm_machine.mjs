// matrix-sdk-crypto-wasm's OlmMachine (vodozemac inside) as one device behind the engine tests' router: it is
// driven line by line (one JSON command on stdin, one JSON answer on stdout) and exchanges real requests through
// the router, as it would with a homeserver.
//   {"op":"init", "user_id", "device_id"}                  -> {"curve25519", "ed25519"}
//   {"op":"outgoing"}  -> {"requests": [{id, type, method, path, body}]}  (outgoingRequests() plus the requests
//                         that getMissingSessions / shareRoomKey handed back, which OlmMachine returns from the call)
//   {"op":"mark", "id", "type", "response"}               -> {}
//   {"op":"sync", "to_device", "changed", "otk_count", "fallback_types"} -> {"decrypted": [...], "others": [...]}
//   {"op":"track", "users"}                               -> {}
//   {"op":"claim_missing", "users"}                       -> {"queued": bool}
//   {"op":"share", "room_id", "users"}                    -> {"queued": n}
//   {"op":"encrypt", "room_id", "event_type", "content"}  -> {"content"}
//   {"op":"decrypt", "room_id", "event"}                  -> {"event", "sender", "sender_device", "sender_curve25519_key"}
//   {"op":"try_decrypt", "room_id", "event"}              -> {"error_text", "code", "withheld_code", "maybe_withheld"}
//   {"op":"verify_step", "user", "flow_id"}  -> {"phase", "emoji_indices", "done", "cancel_code"} (answers a request,
//                         accepts a start: what a user clicking "verify" and "start" does)
//   {"op":"verify_confirm", "user", "flow_id"}            -> {}   (the user says the emoji match)
//   {"op":"device_verified", "user", "device"}            -> {"verified", "cross_signing_trusted", "locally_trusted"}
//   {"op":"bootstrap"}   -> {} (bootstrapCrossSigning: its keys upload, signing-keys upload and signatures upload
//                         queued in that order; the last two have no id, so they get one here, with type -1:
//                         the machine is not told they were sent, as it expects)
//   {"op":"request_verification", "user", "device"}       -> {"flow_id"}   (Device.requestVerification, SAS only)
//   {"op":"start_sas", "user", "flow_id"}                 -> {"started": bool}   (on a ready request)
//   {"op":"identity", "user"}  -> {"present", "own", "verified"}   (getIdentity(user) and its isVerified())
//   {"op":"request_verification", "user", "device", "qr": true} -> as above, offering SAS and QR both ways
//   {"op":"qr_accept", "user", "flow_id"}                 -> {}   (accepts a request offering SAS and QR both ways)
//   {"op":"qr_show", "user", "flow_id"}                   -> {"bytes"} (generateQrCode: base64, or null)
//   {"op":"qr_scan", "user", "flow_id", "bytes"}          -> {}   (scanQrCode, then reciprocate: the start queued)
//   {"op":"qr_confirm", "user", "flow_id"}                -> {}   (the user says the other device scanned ours)
//   {"op":"qr_state", "user", "flow_id"}  -> {"phase", "done", "cancel_code", "scanned"}
//   {"op":"save_backup_key", "version"}                   -> {"key"} (a new backup decryption key, saved in the
//                         machine as Element saves it, so it answers m.secret.request for m.megolm_backup.v1)
import { createInterface } from "node:readline";
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

await sdk.initAsync();
let machine;
const extra = new Map(); // requests handed back from API calls, by id
const UNTRACKED = -1; // our type for the bootstrap requests OlmMachine hands out without an id

function describe(r) {
    const out = { id: r.id, type: r.type, body: r.body };
    switch (r.type) {
        case sdk.RequestType.KeysUpload: return { ...out, method: "POST", path: "/_matrix/client/v3/keys/upload" };
        case sdk.RequestType.KeysQuery: return { ...out, method: "POST", path: "/_matrix/client/v3/keys/query" };
        case sdk.RequestType.KeysClaim: return { ...out, method: "POST", path: "/_matrix/client/v3/keys/claim" };
        case sdk.RequestType.ToDevice:
            return { ...out, method: "PUT", path: "/_matrix/client/v3/sendToDevice/" + encodeURIComponent(r.event_type)
                + "/" + encodeURIComponent(r.txn_id) };
        case sdk.RequestType.SignatureUpload:
            return { ...out, method: "POST", path: "/_matrix/client/v3/keys/signatures/upload" };
        case UNTRACKED: return { ...out, method: "POST", path: r.path };
        default: throw new Error("unexpected request type " + r.type);
    }
}

const users = (list) => list.map((u) => new sdk.UserId(u));
const ALL_METHODS = [sdk.VerificationMethod.SasV1, sdk.VerificationMethod.QrCodeScanV1,
    sdk.VerificationMethod.QrCodeShowV1, sdk.VerificationMethod.ReciprocateV1];
const request = (cmd) => machine.getVerificationRequest(new sdk.UserId(cmd.user), cmd.flow_id);
const keep = (r) => { if (r) extra.set(r.id, r); };

async function handle(cmd) {
    switch (cmd.op) {
        case "init":
            machine = await sdk.OlmMachine.initialize(new sdk.UserId(cmd.user_id), new sdk.DeviceId(cmd.device_id));
            return { curve25519: machine.identityKeys.curve25519.toBase64(), ed25519: machine.identityKeys.ed25519.toBase64() };
        case "outgoing": {
            const requests = (await machine.outgoingRequests()).map(describe);
            for (const r of extra.values()) requests.push(describe(r));
            return { requests };
        }
        case "mark":
            extra.delete(cmd.id);
            if (cmd.type !== UNTRACKED) await machine.markRequestAsSent(cmd.id, cmd.type, cmd.response);
            return {};
        case "bootstrap": {
            const b = await machine.bootstrapCrossSigning(true);
            if (b.uploadKeysRequest) extra.set(b.uploadKeysRequest.id, b.uploadKeysRequest);
            extra.set("signing-keys", { id: "signing-keys", type: UNTRACKED, body: b.uploadSigningKeysRequest.body,
                path: "/_matrix/client/v3/keys/device_signing/upload" });
            extra.set("bootstrap-signatures", { id: "bootstrap-signatures", type: UNTRACKED,
                body: b.uploadSignaturesRequest.body, path: "/_matrix/client/v3/keys/signatures/upload" });
            return {};
        }
        case "request_verification": {
            const device = await machine.getDevice(new sdk.UserId(cmd.user), new sdk.DeviceId(cmd.device));
            const [req, out] = device.requestVerification(cmd.qr ? ALL_METHODS : [sdk.VerificationMethod.SasV1]);
            extra.set(out.id, out);
            return { flow_id: req.flowId };
        }
        case "start_sas": {
            const request = machine.getVerificationRequest(new sdk.UserId(cmd.user), cmd.flow_id);
            const started = request && await request.startSas();
            if (started) extra.set(started[1].id, started[1]);
            return { started: !!started };
        }
        case "qr_accept":
            keep(request(cmd).acceptWithMethods(ALL_METHODS));
            return {};
        case "qr_show": {
            const qr = await request(cmd).generateQrCode();
            return { bytes: qr ? Buffer.from(qr.toBytes()).toString("base64") : null };
        }
        case "qr_scan": {
            const scan = sdk.QrCodeScan.fromBytes(new Uint8ClampedArray(Buffer.from(cmd.bytes, "base64")));
            const qr = await request(cmd).scanQrCode(scan);
            keep(qr.reciprocate());
            return {};
        }
        case "qr_confirm":
            keep(machine.getVerification(new sdk.UserId(cmd.user), cmd.flow_id).confirmScanning());
            return {};
        case "qr_state": {
            const r = request(cmd);
            if (!r) return { phase: null }; // a finished flow is forgotten
            const v = r.getVerification();
            return { phase: r.phase(), done: r.isDone(), cancel_code: r.cancelInfo?.cancelCode() ?? null,
                scanned: v instanceof sdk.Qr && v.hasBeenScanned() };
        }
        case "save_backup_key": {
            const key = sdk.BackupDecryptionKey.createRandomKey();
            await machine.saveBackupDecryptionKey(key, cmd.version);
            return { key: key.toBase64() };
        }
        case "identity": {
            const id = await machine.getIdentity(new sdk.UserId(cmd.user));
            return { present: !!id, own: id instanceof sdk.OwnUserIdentity, verified: !!id && id.isVerified() };
        }
        case "sync": {
            const processed = await machine.receiveSyncChanges(JSON.stringify(cmd.to_device),
                new sdk.DeviceLists(users(cmd.changed), []), new Map([["signed_curve25519", cmd.otk_count]]),
                new Set(cmd.fallback_types));
            const decrypted = [], others = [];
            for (const e of processed) {
                if (e.type === sdk.ProcessedToDeviceEventType.Decrypted) decrypted.push(JSON.parse(e.rawEvent));
                else others.push({ kind: e.type, event: JSON.parse(e.rawEvent) });
            }
            return { decrypted, others };
        }
        case "track":
            await machine.updateTrackedUsers(users(cmd.users));
            return {};
        case "claim_missing": {
            const request = await machine.getMissingSessions(users(cmd.users));
            if (request) extra.set(request.id, request);
            return { queued: !!request };
        }
        case "share": {
            const requests = await machine.shareRoomKey(new sdk.RoomId(cmd.room_id), users(cmd.users),
                new sdk.EncryptionSettings());
            for (const r of requests) extra.set(r.id, r);
            return { queued: requests.length };
        }
        case "encrypt":
            return { content: JSON.parse(await machine.encryptRoomEvent(new sdk.RoomId(cmd.room_id), cmd.event_type,
                JSON.stringify(cmd.content))) };
        case "decrypt": {
            const d = await machine.decryptRoomEvent(JSON.stringify(cmd.event), new sdk.RoomId(cmd.room_id),
                new sdk.DecryptionSettings(sdk.TrustRequirement.Untrusted));
            return { event: JSON.parse(d.event), sender: d.sender.toString(), sender_device: d.senderDevice?.toString(),
                sender_curve25519_key: d.senderCurve25519Key };
        }
        case "try_decrypt": // a decryption expected to fail: its error, as text
            try {
                await machine.decryptRoomEvent(JSON.stringify(cmd.event), new sdk.RoomId(cmd.room_id),
                    new sdk.DecryptionSettings(sdk.TrustRequirement.Untrusted));
                return { error_text: "" };
            } catch (e) {
                return { error_text: String(e && (e.description || e.message || e)), code: e && e.code,
                    withheld_code: e && e.withheldCode, maybe_withheld: e && e.maybe_withheld };
            }
        case "verify_step": {
            const request = machine.getVerificationRequest(new sdk.UserId(cmd.user), cmd.flow_id);
            if (!request) return { phase: null };
            const keep = (r) => { if (r) extra.set(r.id, r); };
            if (!request.weStarted() && request.phase() === sdk.VerificationRequestPhase.Requested) {
                keep(request.acceptWithMethods([sdk.VerificationMethod.SasV1]));
            }
            const v = request.getVerification();
            const out = { phase: request.phase(), done: request.isDone(), cancel_code: request.cancelInfo?.cancelCode() ?? null };
            if (v instanceof sdk.Sas) {
                if (!v.weStarted() && !v.hasBeenAccepted()) keep(v.accept());
                const idx = v.emojiIndex();
                if (idx) out.emoji_indices = Array.from(idx);
                out.done = out.done || v.isDone();
                out.cancel_code = out.cancel_code ?? v.cancelInfo()?.cancelCode() ?? null;
            }
            return out;
        }
        case "verify_confirm": {
            const sas = machine.getVerification(new sdk.UserId(cmd.user), cmd.flow_id);
            for (const r of await sas.confirm()) extra.set(r.id, r);
            return {};
        }
        case "device_verified": {
            const device = await machine.getDevice(new sdk.UserId(cmd.user), new sdk.DeviceId(cmd.device));
            return { verified: !!device && device.isVerified(),
                cross_signing_trusted: !!device && device.isCrossSigningTrusted(),
                locally_trusted: !!device && device.isLocallyTrusted() };
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
