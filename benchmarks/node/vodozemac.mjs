// Times vodozemac (inside @matrix-org/matrix-sdk-crypto-wasm, the npm package Element uses) on the
// shapes of panolm's JMH suite that its JavaScript API exposes: backup encryption and decryption of
// one key (m.megolm_backup.v1), room-key export files of 10,000 sessions at 500,000 rounds, and Olm
// (through OlmMachine, see olm.mjs): session creation, one to-device message, sharing a room key.
// Prints JSON: {"package", "version", "node", "results": {key: {"nanosPerOp", "runs"}}}.
// Usage: node vodozemac.mjs [--quick] [--only REGEX]
//   --quick       shorter timings; the room key is shared with 1,000 devices only
//   --only REGEX  only the groups whose JMH benchmarks the regular expression finds (as JMH filters them)
import { createRequire } from "node:module";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";

import * as olm from "./olm.mjs";

const peers = createRequire(new URL("../../interop/node/package.json", import.meta.url));
const wasmEntry = peers.resolve("@matrix-org/matrix-sdk-crypto-wasm");
const loaded = await import(wasmEntry);
const wasm = loaded.default ?? loaded; // the CommonJS entry arrives as the default export
// The package's exports hide its package.json; read it beside the entry point.
const { version } = JSON.parse(readFileSync(join(dirname(wasmEntry), "package.json"), "utf8"));

const quick = process.argv.includes("--quick");
const onlyAt = process.argv.indexOf("--only");
if (onlyAt >= 0 && process.argv[onlyAt + 1] === undefined) throw new Error("vodozemac.mjs: --only needs a REGEX");
const only = onlyAt < 0 ? null : new RegExp(process.argv[onlyAt + 1]);
/** Whether a group runs: no filter, or the filter finds one of the JMH benchmarks it stands beside. */
const wanted = (...benchmarks) => only === null || benchmarks.some((b) => only.test("org.panolm.benchmarks." + b));
const SESSIONS = 10000;
const ROUNDS = 500000;
const b64 = (buf) => Buffer.from(buf).toString("base64").replace(/=+$/, "");

// A real Ed25519 public key (vodozemac checks that keys are points on the curve).
function ed25519Public() {
    const der = generateKeyPairSync("ed25519").publicKey.export({ format: "der", type: "spki" });
    return b64(der.subarray(der.length - 32));
}

function sessionJson(roomId) {
    const key = Buffer.concat([Buffer.from([1, 0, 0, 0, 0]), randomBytes(128), Buffer.alloc(32)]);
    const pub = ed25519Public();
    Buffer.from(pub, "base64").copy(key, 133);
    const s = {
        algorithm: "m.megolm.v1.aes-sha2",
        sender_key: b64(randomBytes(32)),
        session_key: b64(key),
        sender_claimed_keys: { ed25519: ed25519Public() },
        forwarding_curve25519_key_chain: [],
    };
    if (roomId) {
        s.room_id = roomId;
        s.session_id = pub;
    }
    return s;
}

/** Runs fn repeatedly for about `millis` after a warm-up of the same length; returns ns per call. */
function perCall(fn, millis) {
    const until = (t) => { const end = performance.now() + t; let n = 0; while (performance.now() < end) { fn(n++); } return n; };
    until(millis);
    const start = performance.now();
    const n = until(millis);
    return { nanosPerOp: ((performance.now() - start) * 1e6) / n, runs: n };
}

/** Runs fn `runs` times after one warm-up call; returns the median ns per call. */
function median(fn, runs) {
    fn();
    const times = [];
    for (let i = 0; i < runs; i++) {
        const start = performance.now();
        fn();
        times.push((performance.now() - start) * 1e6);
    }
    times.sort((a, b) => a - b);
    return { nanosPerOp: times[Math.floor(times.length / 2)], runs };
}

const results = {};

// Backup, one key per call.
if (wanted("backup.BackupKeyBench.encrypt", "backup.BackupKeyBench.decrypt")) {
    const backupKey = wasm.BackupDecryptionKey.createRandomKey();
    const publicKey = new wasm.Curve25519PublicKey(backupKey.megolmV1PublicKey.publicKeyBase64);
    const encryption = wasm.PkEncryption.fromKey(publicKey);
    const plaintext = JSON.stringify(sessionJson(null));
    results.backupEncrypt = perCall(() => {
        const m = encryption.encryptString(plaintext);
        m.free();
    }, quick ? 300 : 2000);
    const ring = [];
    for (let i = 0; i < 256; i++) {
        const m = encryption.encryptString(JSON.stringify(sessionJson(null)));
        ring.push([m.ephemeralKey().toBase64(), b64(m.mac()), b64(m.ciphertext())]);
        m.free();
    }
    results.backupDecrypt = perCall((i) => {
        const [eph, mac, ct] = ring[i % ring.length];
        JSON.parse(backupKey.decryptV1(eph, mac, ct));
    }, quick ? 300 : 2000);
}

// Room-key export files.
if (wanted("export.KeyExportBench.exportPanolm", "export.KeyExportBench.importPanolm")) {
    const keys = [];
    for (let i = 0; i < SESSIONS; i++) keys.push(sessionJson("!room" + (i % 200) + ":panolm.example"));
    const passphrase = "an export passphrase";
    const json = JSON.stringify(keys);
    results.exportEncrypt = median(() => wasm.OlmMachine.encryptExportedRoomKeys(json, passphrase, ROUNDS), quick ? 1 : 3);
    const file = wasm.OlmMachine.encryptExportedRoomKeys(json, passphrase, ROUNDS);
    results.exportDecrypt = median(() => {
        const parsed = JSON.parse(wasm.OlmMachine.decryptExportedRoomKeys(file, passphrase));
        if (parsed.length !== SESSIONS) throw new Error("export round trip lost sessions");
    }, quick ? 1 : 3);
}

if (wanted("olm.OlmSessionBench.encrypt", "olm.OlmSessionBench.encryptAndDecrypt", "olm.OlmSessionBench.createSession")) {
    Object.assign(results, await olm.sessions(wasm, quick));
}
if (wanted("olm.OlmShareBench.share")) {
    results.olmShare1000 = await olm.share(wasm, 1000, quick ? 2 : 5);
    if (!quick) results.olmShare10000 = await olm.share(wasm, 10000, 3);
}

process.stdout.write(JSON.stringify({ package: "@matrix-org/matrix-sdk-crypto-wasm", version, node: process.version, results }, null, 1) + "\n");
