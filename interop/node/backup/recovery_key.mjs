// matrix-js-sdk's Security Key (recovery key) codec as an independent peer. JSON on stdin/stdout.
//   {"encode":[b64 keys], "decode":[strings]}
//      -> {"encoded":[str], "decoded":[{"key":b64}|{"error":msg}]}
import { decodeRecoveryKey, encodeRecoveryKey } from "matrix-js-sdk/lib/crypto-api/recovery-key.js";

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const req = JSON.parse(Buffer.concat(chunks).toString("utf8"));
const encoded = (req.encode ?? []).map((k) => encodeRecoveryKey(Buffer.from(k, "base64")));
const decoded = (req.decode ?? []).map((s) => {
    try {
        return { key: Buffer.from(decodeRecoveryKey(s)).toString("base64").replace(/=+$/, "") };
    } catch (e) {
        return { error: e.message };
    }
});
process.stdout.write(JSON.stringify({ encoded, decoded }));
