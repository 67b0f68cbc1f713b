// Peer: matrix-sdk-crypto-wasm (matrix-rust-sdk + vodozemac) for room-key export files.
// stdin: a JSON array of requests; stdout: a JSON array of results, in order.
//   {"op":"encrypt","json":"[...]","passphrase":"…","rounds":N} -> {"file":"-----BEGIN…"}
//   {"op":"decrypt","file":"…","passphrase":"…"}                -> {"json":"[...]"} or {"error":"…"}
//   {"op":"keys","count":N,"rooms":["!a:x",…]} -> {"keys":[ExportedRoomKey…]} made by @matrix-org/olm
//   {"op":"import","json":"[...]"} -> {"imported":n,"total":n} or {"error":"…"}: an OlmMachine's
//       importExportedRoomKeys, as Element imports a file once decrypted
import * as wasm from "@matrix-org/matrix-sdk-crypto-wasm";
import Olm from "@matrix-org/olm";

const input = JSON.parse(await new Response(process.stdin).text());
await wasm.initAsync();
let olmReady = false;

async function realKeys(count, rooms) {
    if (!olmReady) {
        await Olm.init();
        olmReady = true;
    }
    const account = new Olm.Account();
    account.create();
    const identity = JSON.parse(account.identity_keys());
    account.free();
    const keys = [];
    for (let i = 0; i < count; i++) {
        const outbound = new Olm.OutboundGroupSession();
        outbound.create();
        const inbound = new Olm.InboundGroupSession();
        inbound.create(outbound.session_key());
        keys.push({
            algorithm: "m.megolm.v1.aes-sha2",
            room_id: rooms[i % rooms.length],
            sender_key: identity.curve25519,
            session_id: inbound.session_id(),
            session_key: inbound.export_session(inbound.first_known_index()),
            sender_claimed_keys: { ed25519: identity.ed25519 },
            forwarding_curve25519_key_chain: [],
        });
        outbound.free();
        inbound.free();
    }
    return keys;
}

const out = [];
for (const req of input) {
    try {
        if (req.op === "encrypt") {
            out.push({ file: wasm.OlmMachine.encryptExportedRoomKeys(req.json, req.passphrase, req.rounds) });
        } else if (req.op === "decrypt") {
            out.push({ json: wasm.OlmMachine.decryptExportedRoomKeys(req.file, req.passphrase) });
        } else if (req.op === "import") {
            const machine = await wasm.OlmMachine.initialize(new wasm.UserId("@importer:example.org"),
                new wasm.DeviceId("IMPORTER"));
            const r = await machine.importExportedRoomKeys(req.json, () => {});
            out.push({ imported: r.importedCount, total: r.totalCount });
            machine.free();
        } else if (req.op === "keys") {
            out.push({ keys: await realKeys(req.count, req.rooms) });
        } else {
            throw new Error(`unknown op ${req.op}`);
        }
    } catch (e) {
        out.push({ error: String(e && e.message ? e.message : e) });
    }
}
process.stdout.write(JSON.stringify(out));
