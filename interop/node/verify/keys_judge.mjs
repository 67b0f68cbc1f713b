// matrix-sdk-crypto-wasm judges another user's cross-signing keys and device (made by panolm), then verifies
// that user with its own user-signing key.
// stdin: {"user_id", "device_keys", "master_key", "self_signing_key"}
// stdout: {"device_known", "cross_signed_by_owner", "identity_known", "identity_master_key",
//          "own_master_key", "own_user_signing_key", "signature_upload": body of the upload after verify()}
import { readFileSync } from "node:fs";
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

const input = JSON.parse(readFileSync(0, "utf8"));
await sdk.initAsync();
const machine = await sdk.OlmMachine.initialize(new sdk.UserId("@judge:example.org"), new sdk.DeviceId("JUDGE"));
const boot = await machine.bootstrapCrossSigning(true);
const signing = JSON.parse(boot.uploadSigningKeysRequest.body);
// updateTrackedUsers consumes the UserId objects it is given: make fresh ones for later calls.
const user = () => new sdk.UserId(input.user_id);
await machine.updateTrackedUsers([user()]);
for (const r of await machine.outgoingRequests()) {
    if (r.type === sdk.RequestType.KeysQuery) {
        const response = {
            device_keys: { [input.user_id]: { [input.device_keys.device_id]: input.device_keys } },
            master_keys: { [input.user_id]: input.master_key },
            self_signing_keys: { [input.user_id]: input.self_signing_key },
            failures: {},
        };
        await machine.markRequestAsSent(r.id, r.type, JSON.stringify(response));
    } else if (r.type === sdk.RequestType.KeysUpload) {
        await machine.markRequestAsSent(r.id, r.type, JSON.stringify({ one_time_key_counts: {} }));
    }
}
const out = { own_master_key: signing.master_key, own_user_signing_key: signing.user_signing_key };
const device = await machine.getDevice(user(), new sdk.DeviceId(input.device_keys.device_id));
out.device_known = !!device;
out.cross_signed_by_owner = device ? device.isCrossSignedByOwner() : false;
const identity = await machine.getIdentity(user());
out.identity_known = !!identity;
if (identity) {
    out.identity_master_key = JSON.parse(identity.masterKey);
    out.signature_upload = JSON.parse((await identity.verify()).body);
}
process.stdout.write(JSON.stringify(out));
