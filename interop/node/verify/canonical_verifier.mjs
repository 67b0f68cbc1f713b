// matrix-sdk-crypto-wasm (ruma's canonical JSON + vodozemac's Ed25519) as a judge of panolm's canonical JSON:
// a fresh OlmMachine bootstraps cross-signing and hands out its master key seed; panolm signs backup
// auth_data objects with it; verifyBackup recomputes the canonical form on its side and checks the
// signature. Line-based: one JSON command per stdin line, one JSON answer per stdout line.
//   {"op":"init", "user_id", "device_id"}  -> {"master_seed", "master_key"}
//   {"op":"verify", "auth_data"}           -> {"trusted", "user_state"}
import { createInterface } from "node:readline";
import * as sdk from "@matrix-org/matrix-sdk-crypto-wasm";

await sdk.initAsync();
let machine;

async function handle(cmd) {
    if (cmd.op === "init") {
        machine = await sdk.OlmMachine.initialize(new sdk.UserId(cmd.user_id), new sdk.DeviceId(cmd.device_id));
        const boot = await machine.bootstrapCrossSigning(true);
        const masterKey = JSON.parse(boot.uploadSigningKeysRequest.body).master_key;
        const seeds = await machine.exportCrossSigningKeys();
        return { master_seed: seeds.masterKey, master_key: Object.values(masterKey.keys)[0] };
    }
    if (cmd.op === "verify") {
        const v = await machine.verifyBackup({
            algorithm: "m.megolm_backup.v1.curve25519-aes-sha2",
            auth_data: cmd.auth_data,
            version: "1",
        });
        return { trusted: v.trusted(), user_state: v.userState };
    }
    throw new Error("unknown op " + cmd.op);
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
