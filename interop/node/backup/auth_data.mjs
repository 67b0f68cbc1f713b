// Backup auth_data signatures with independent peers. JSON on stdin/stdout.
//   {"op":"sign","auth_data":{...}}
//      -> {"user_id","device_id","device_key","master_key","signatures":{user:{key_id:sig}}}
//      matrix-sdk-crypto-wasm: a fresh OlmMachine with new cross-signing keys signs the canonical JSON
//      (another-json, as matrix-js-sdk builds it) with its device key and its master key.
//   {"op":"verify","auth_data":{...},"checks":[{"user_id","key_id","public_key"}]}
//      -> {"results":[true|false]}   (libolm's ed25519_verify from @matrix-org/olm, another-json canonical form)
import anotherjson from "another-json";
import Olm from "@matrix-org/olm";
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

const chunks = [];
for await (const c of process.stdin) chunks.push(c);
const req = JSON.parse(Buffer.concat(chunks).toString("utf8"));

function signedPart(obj) {
    const copy = { ...obj };
    delete copy.signatures;
    delete copy.unsigned;
    return anotherjson.stringify(copy);
}

try {
    if (req.op === "sign") {
        await sdk.initAsync();
        const userId = "@signer:example.org";
        const machine = await sdk.OlmMachine.initialize(new sdk.UserId(userId), new sdk.DeviceId("SIGNERDEV"));
        await machine.bootstrapCrossSigning(true);
        const identity = await machine.getIdentity(new sdk.UserId(userId));
        const master = JSON.parse(identity.masterKey);
        const masterKey = Object.values(master.keys)[0];
        const signatures = JSON.parse((await machine.sign(signedPart(req.auth_data))).asJSON());
        process.stdout.write(JSON.stringify({
            user_id: userId,
            device_id: "SIGNERDEV",
            device_key: machine.identityKeys.ed25519.toBase64(),
            master_key: masterKey,
            signatures,
        }));
        machine.close();
    } else if (req.op === "verify") {
        await Olm.init();
        const util = new Olm.Utility();
        const message = signedPart(req.auth_data);
        const results = req.checks.map((c) => {
            const sig = req.auth_data.signatures?.[c.user_id]?.[c.key_id];
            if (!sig) return false;
            try {
                util.ed25519_verify(c.public_key, message, sig);
                return true;
            } catch {
                return false;
            }
        });
        util.free();
        process.stdout.write(JSON.stringify({ results }));
    } else {
        throw new Error("unknown op " + req.op);
    }
} catch (e) {
    console.error(e && e.stack ? e.stack : e);
    process.exit(1);
}
