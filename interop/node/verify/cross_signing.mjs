// matrix-sdk-crypto-wasm (vodozemac) bootstraps cross-signing for a fresh OlmMachine and prints the signed key
// bodies it would upload, plus the private seeds it exports, for panolm's tests.
// stdin: {"user_id", "device_id", "backup_public_key"?}
// stdout: {"device_keys", "master_key", "self_signing_key", "user_signing_key",
//          "signatures_upload", "seeds": {"master", "self_signing", "user_signing"},
//          "backup_auth_data"?: auth_data signed by the machine (device key and master key),
//          "backup_trusted"?: what the machine's own verifyBackup says of it}
import { readFileSync } from "node:fs";
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

const input = JSON.parse(readFileSync(0, "utf8"));
await sdk.initAsync();
const machine = await sdk.OlmMachine.initialize(new sdk.UserId(input.user_id), new sdk.DeviceId(input.device_id));

const boot = await machine.bootstrapCrossSigning(true);
const out = {};
// The device keys go up in the first keys/upload request (either from the bootstrap or the outgoing queue).
let keysUpload = boot.uploadKeysRequest;
if (!keysUpload) {
    for (const r of await machine.outgoingRequests()) {
        if (r instanceof sdk.KeysUploadRequest) keysUpload = r;
    }
}
out.device_keys = JSON.parse(keysUpload.body).device_keys;
const signing = JSON.parse(boot.uploadSigningKeysRequest.body);
out.master_key = signing.master_key;
out.self_signing_key = signing.self_signing_key;
out.user_signing_key = signing.user_signing_key;
out.signatures_upload = JSON.parse(boot.uploadSignaturesRequest.body);
const seeds = await machine.exportCrossSigningKeys();
out.seeds = { master: seeds.masterKey, self_signing: seeds.self_signing_key, user_signing: seeds.userSigningKey };
if (input.backup_public_key) {
    // A one-member object is canonical as written; the machine signs the exact string.
    const authData = { public_key: input.backup_public_key };
    const signatures = await machine.sign(JSON.stringify(authData));
    authData.signatures = JSON.parse(signatures.asJSON());
    out.backup_auth_data = authData;
    const verification = await machine.verifyBackup({
        algorithm: "m.megolm_backup.v1.curve25519-aes-sha2",
        auth_data: authData,
        version: "1",
    });
    out.backup_trusted = verification.trusted();
}
process.stdout.write(JSON.stringify(out));
