// Peer: matrix-js-sdk (Element Web's SDK) for m.pbkdf2 and secret-storage items.
// stdin: a JSON array of requests; stdout: a JSON array of results, in order. Keys are base64.
//   {"op":"derive","passphrase":"…","salt":"…","iterations":N,"bits":B?} -> {"key":"<base64>"}
//   {"op":"encrypt","data":"…","key":"…","name":"…","iv":"…"?}         -> {"iv","ciphertext","mac"}
//   {"op":"decrypt","item":{iv,ciphertext,mac},"key":"…","name":"…"}    -> {"data":"…"} or {"error":"…"}
//   {"op":"keycheck","key":"…","iv":"…"?}                              -> {"iv","mac"}
//   {"op":"checkkey","key":"…","info":{…key description…}}             -> {"ok":true|false}
import { calculateKeyCheck, ServerSideSecretStorageImpl } from "matrix-js-sdk/lib/secret-storage.js";
import { deriveRecoveryKeyFromPassphrase } from "matrix-js-sdk/lib/crypto-api/key-passphrase.js";
import encryptAESSecretStorageItem from "matrix-js-sdk/lib/utils/encryptAESSecretStorageItem.js";
import decryptAESSecretStorageItem from "matrix-js-sdk/lib/utils/decryptAESSecretStorageItem.js";

const b64 = (bytes) => Buffer.from(bytes).toString("base64");
const bytes = (text) => new Uint8Array(Buffer.from(text, "base64"));

const input = JSON.parse(await new Response(process.stdin).text());
const storage = new ServerSideSecretStorageImpl({}, {});
const out = [];
for (const req of input) {
    try {
        if (req.op === "derive") {
            const key = await deriveRecoveryKeyFromPassphrase(req.passphrase, req.salt, req.iterations, req.bits ?? 256);
            out.push({ key: b64(key) });
        } else if (req.op === "encrypt") {
            out.push(await encryptAESSecretStorageItem(req.data, bytes(req.key), req.name, req.iv));
        } else if (req.op === "decrypt") {
            out.push({ data: await decryptAESSecretStorageItem(req.item, bytes(req.key), req.name) });
        } else if (req.op === "keycheck") {
            out.push(await calculateKeyCheck(bytes(req.key), req.iv));
        } else if (req.op === "checkkey") {
            out.push({ ok: await storage.checkKey(bytes(req.key), req.info) });
        } else {
            throw new Error(`unknown op ${req.op}`);
        }
    } catch (e) {
        out.push({ error: String(e && e.message ? e.message : e) });
    }
}
process.stdout.write(JSON.stringify(out));
