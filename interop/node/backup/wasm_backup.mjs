// matrix-sdk-crypto-wasm (vodozemac inside) as an independent backup peer. JSON on stdin/stdout.
//   {"op":"decrypt","private_key":b64,"entries":[{ephemeral,mac,ciphertext}]}
//      -> {"public_key", "results":[{"plaintext"}|{"error"}]}          (BackupDecryptionKey.decryptV1)
//   {"op":"pk_encrypt","public_key":b64,"plaintexts":[str]}
//      -> {"entries":[{ephemeral,mac,ciphertext}]}                      (PkEncryption)
//   {"op":"backup","keys":[exported room keys]}
//      -> {"private_key", "public_key", "bodies":[/room_keys/keys bodies]}
//      a fresh OlmMachine imports the keys, backs them up for a new random BackupDecryptionKey and
//      returns exactly the request bodies it would PUT to the server.
//   {"op":"restore","private_key":b64,"version":"1","body":/room_keys/keys body}
//      -> {"imported", "total", "keys":[exported room keys]}
//      a fresh OlmMachine restores the body as matrix-js-sdk does (decryptV1 per session, then
//      importBackedUpRoomKeys) and exports what it now holds.
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

const b64 = (bytes) => Buffer.from(bytes).toString("base64").replace(/=+$/, "");

async function main() {
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    const req = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    await sdk.initAsync();

    if (req.op === "decrypt") {
        const key = sdk.BackupDecryptionKey.fromBase64(req.private_key);
        const results = req.entries.map((e) => {
            try {
                return { plaintext: key.decryptV1(e.ephemeral, e.mac, e.ciphertext) };
            } catch (err) {
                return { error: String(err && err.message ? err.message : err) };
            }
        });
        out({ public_key: key.megolmV1PublicKey.publicKeyBase64, results });
    } else if (req.op === "pk_encrypt") {
        const enc = sdk.PkEncryption.fromKey(new sdk.Curve25519PublicKey(req.public_key));
        const entries = req.plaintexts.map((p) => {
            const m = enc.encryptString(p);
            return { ephemeral: m.ephemeralKey().toBase64(), mac: b64(m.mac()), ciphertext: b64(m.ciphertext()) };
        });
        out({ entries });
    } else if (req.op === "backup") {
        const key = sdk.BackupDecryptionKey.createRandomKey();
        const machine = await sdk.OlmMachine.initialize(new sdk.UserId("@peer:example.org"), new sdk.DeviceId("PEERDEVICE"));
        const imported = await machine.importExportedRoomKeys(JSON.stringify(req.keys), () => {});
        if (imported.importedCount !== req.keys.length) {
            throw new Error(`imported ${imported.importedCount} of ${req.keys.length} keys`);
        }
        await machine.enableBackupV1(key.megolmV1PublicKey.publicKeyBase64, "1");
        const bodies = [];
        for (;;) {
            const request = await machine.backupRoomKeys();
            if (!request) break;
            bodies.push(JSON.parse(request.body));
            await machine.markRequestAsSent(request.id, request.type, JSON.stringify({ etag: "e", count: 0 }));
        }
        out({ private_key: key.toBase64(), public_key: key.megolmV1PublicKey.publicKeyBase64, bodies });
        machine.close();
    } else if (req.op === "restore") {
        const key = sdk.BackupDecryptionKey.fromBase64(req.private_key);
        const machine = await sdk.OlmMachine.initialize(new sdk.UserId("@peer:example.org"), new sdk.DeviceId("PEERDEVICE"));
        const rooms = new Map();
        for (const [roomId, room] of Object.entries(req.body.rooms)) {
            const sessions = new Map();
            for (const [sessionId, data] of Object.entries(room.sessions)) {
                const sd = data.session_data;
                sessions.set(sessionId, JSON.parse(key.decryptV1(sd.ephemeral, sd.mac, sd.ciphertext)));
            }
            rooms.set(new sdk.RoomId(roomId), sessions);
        }
        const result = await machine.importBackedUpRoomKeys(rooms, () => {}, req.version);
        const keys = JSON.parse(await machine.exportRoomKeys(() => true));
        out({ imported: result.importedCount, total: result.totalCount, keys });
        machine.close();
    } else {
        throw new Error("unknown op " + req.op);
    }
}

function out(value) {
    process.stdout.write(JSON.stringify(value));
}

main().catch((e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
});
