// Element's own code paths as fixtures and checkers for the panolm command's tests. JSON on stdin/stdout.
// matrix-sdk-crypto-wasm (vodozemac inside) makes backups and export files; matrix-js-sdk makes
// Security Keys and secret storage.
//   {"op":"backup","keys":[exported room keys]}
//      -> {"body": /room_keys/keys body, "version": backup version JSON, "recovery_key": base58 of the backup
//          private key, "private_key": b64, "public_key": b64}
//      A fresh OlmMachine imports the keys and backs them up for a new random BackupDecryptionKey; the body is
//      what it would PUT to the server (its request batches merged into one body).
//   {"op":"restore","private_key":b64,"body": /room_keys/keys body}
//      -> {"keys":[exported room keys]}   (BackupDecryptionKey.decryptV1 on every session)
//   {"op":"export","keys":[...],"passphrase":str,"rounds":int} -> {"export_file": str}
//   {"op":"decrypt_export","export_file":str,"passphrase":str} -> {"keys":[...]}
//   {"op":"ssss","secrets":{name: string},"passphrase":str?,"iterations":int?}
//      -> {"account_data": {type: content}, "recovery_key": base58, "key_id": str}
//      A default secret-storage key (from the passphrase through m.pbkdf2 when given, else random) with its
//      key check, and each secret encrypted under it, as matrix-js-sdk writes them.
//   {"op":"recovery_key","private_key":b64} -> {"recovery_key": base58}
//   {"op":"recovery_key_bytes","recovery_key":str} -> {"private_key": b64} | {"error": js-sdk's message}
//   {"op":"phrase_backup_key","passphrase":str,"salt":str,"iterations":int}
//      -> {"private_key": b64, "public_key": b64}   (js-sdk's m.pbkdf2 derivation, wasm's public key)
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";
import { decodeRecoveryKey, encodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/recovery-key.js";
import { deriveRecoveryKeyFromPassphrase } from "matrix-js-sdk/lib/crypto-api/key-passphrase.js";
import encryptAESSecretStorageItem from "matrix-js-sdk/lib/utils/encryptAESSecretStorageItem.js";
import { calculateKeyCheck } from "matrix-js-sdk/lib/secret-storage.js";

const b64 = (bytes) => Buffer.from(bytes).toString("base64").replace(/=+$/, "");

async function backup(req) {
    const key = sdk.BackupDecryptionKey.createRandomKey();
    const machine = await sdk.OlmMachine.initialize(new sdk.UserId("@peer:example.org"), new sdk.DeviceId("PEERDEVICE"));
    const imported = await machine.importExportedRoomKeys(JSON.stringify(req.keys), () => {});
    if (imported.importedCount !== req.keys.length) {
        throw new Error(`imported ${imported.importedCount} of ${req.keys.length} keys`);
    }
    const publicKey = key.megolmV1PublicKey.publicKeyBase64;
    await machine.enableBackupV1(publicKey, "1");
    const rooms = {};
    for (;;) {
        const request = await machine.backupRoomKeys();
        if (!request) break;
        for (const [room, { sessions }] of Object.entries(JSON.parse(request.body).rooms)) {
            rooms[room] ??= { sessions: {} };
            Object.assign(rooms[room].sessions, sessions);
        }
        await machine.markRequestAsSent(request.id, request.type, JSON.stringify({ etag: "e", count: 0 }));
    }
    machine.close();
    const privateKey = Buffer.from(key.toBase64(), "base64");
    return {
        body: { rooms },
        version: { algorithm: "m.megolm_backup.v1.curve25519-aes-sha2", auth_data: { public_key: publicKey }, version: "1" },
        recovery_key: encodeRecoveryKey(privateKey),
        private_key: b64(privateKey),
        public_key: publicKey,
    };
}

function restore(req) {
    const key = sdk.BackupDecryptionKey.fromBase64(req.private_key);
    const keys = [];
    for (const [room, { sessions }] of Object.entries(req.body.rooms)) {
        for (const [sessionId, data] of Object.entries(sessions)) {
            const s = data.session_data;
            const plain = JSON.parse(key.decryptV1(s.ephemeral, s.mac, s.ciphertext));
            keys.push({ ...plain, room_id: room, session_id: sessionId });
        }
    }
    return { keys };
}

async function ssss(req) {
    let key;
    const keyId = "KEYID" + Math.random().toString(36).slice(2, 12);
    const description = { algorithm: "m.secret_storage.v1.aes-hmac-sha2", name: "panolm test key" };
    if (req.passphrase) {
        const salt = "salt" + Math.random().toString(36).slice(2, 14);
        const iterations = req.iterations ?? 500000;
        key = await deriveRecoveryKeyFromPassphrase(req.passphrase, salt, iterations);
        description.passphrase = { algorithm: "m.pbkdf2", salt, iterations };
    } else {
        key = new Uint8Array(32);
        globalThis.crypto.getRandomValues(key);
    }
    const check = await calculateKeyCheck(key);
    description.iv = check.iv;
    description.mac = check.mac;
    const accountData = {
        "m.secret_storage.default_key": { key: keyId },
        [`m.secret_storage.key.${keyId}`]: description,
    };
    for (const [name, secret] of Object.entries(req.secrets)) {
        accountData[name] = { encrypted: { [keyId]: await encryptAESSecretStorageItem(secret, key, name) } };
    }
    return { account_data: accountData, recovery_key: encodeRecoveryKey(key), key_id: keyId };
}

async function main() {
    const chunks = [];
    for await (const c of process.stdin) chunks.push(c);
    const req = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    await sdk.initAsync();
    let result;
    switch (req.op) {
        case "backup":
            result = await backup(req);
            break;
        case "restore":
            result = restore(req);
            break;
        case "export":
            result = { export_file: sdk.OlmMachine.encryptExportedRoomKeys(JSON.stringify(req.keys), req.passphrase, req.rounds) };
            break;
        case "decrypt_export":
            result = { keys: JSON.parse(sdk.OlmMachine.decryptExportedRoomKeys(req.export_file, req.passphrase)) };
            break;
        case "ssss":
            result = await ssss(req);
            break;
        case "recovery_key":
            result = { recovery_key: encodeRecoveryKey(Buffer.from(req.private_key, "base64")) };
            break;
        case "phrase_backup_key": {
            const bytes = await deriveRecoveryKeyFromPassphrase(req.passphrase, req.salt, req.iterations);
            const key = sdk.BackupDecryptionKey.fromBase64(b64(bytes));
            result = { private_key: b64(bytes), public_key: key.megolmV1PublicKey.publicKeyBase64 };
            break;
        }
        case "recovery_key_bytes":
            try {
                result = { private_key: b64(decodeRecoveryKey(req.recovery_key)) };
            } catch (e) {
                result = { error: e.message };
            }
            break;
        default:
            throw new Error("unknown op " + req.op);
    }
    process.stdout.write(JSON.stringify(result));
}

main().catch((e) => {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
});
