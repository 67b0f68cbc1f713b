// matrix-js-sdk (with its Rust crypto) against the panolm test homeserver, as a real client would use it.
//   node jssdk_e2e.mjs <base url>
// Two users register, alice sets up cross-signing, secret storage and key backup with a Security Key, creates an
// encrypted room and invites bob; both join, exchange encrypted messages and decrypt each other's. Then a second
// device of alice signs in, reads secret storage from its first sync, unlocks the backup with the Security Key,
// restores it and decrypts both messages. The last stdout line is a JSON summary; logs go to stderr.

// The SDK loaded as every client interop script loads it (the Promise.withResolvers shim, logs to stderr).
import { sdk } from "../client/common.mjs";
const { decodeRecoveryKey } = await import("matrix-js-sdk/lib/crypto-api/recovery-key.js");

const base = process.argv[2];
if (!base) {
    throw new Error("usage: node jssdk_e2e.mjs <base url>");
}
const STEP_TIMEOUT = 30_000;
const started = Date.now();
const steps = [];

function step(name) {
    steps.push({ name, ms: Date.now() - started });
    process.stderr.write(`== ${name} (${Date.now() - started} ms)\n`);
}

async function until(what, check) {
    const deadline = Date.now() + STEP_TIMEOUT;
    while (Date.now() < deadline) {
        const v = await check();
        if (v) return v;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
}

async function register(username, password) {
    const anon = sdk.createClient({ baseUrl: base });
    let session;
    try {
        await anon.registerRequest({ username, password });
        throw new Error("registration without auth should need user-interactive auth");
    } catch (e) {
        if (e.httpStatus !== 401) throw e;
        session = e.data.session;
    }
    return anon.registerRequest({ username, password, auth: { type: "m.login.dummy", session } });
}

let securityKey = null; // { privateKey, encodedPrivateKey } once alice made it

async function start(creds) {
    const client = sdk.createClient({
        baseUrl: base,
        userId: creds.user_id,
        accessToken: creds.access_token,
        deviceId: creds.device_id,
        cryptoCallbacks: {
            getSecretStorageKey: async ({ keys }) => {
                if (!securityKey) return null;
                return [Object.keys(keys)[0], decodeRecoveryKey(securityKey.encodedPrivateKey)];
            },
        },
    });
    await client.initRustCrypto({ useIndexedDB: false });
    const prepared = new Promise((resolve, reject) => {
        client.on(sdk.ClientEvent.Sync, (state, _prev, data) => {
            if (state === "PREPARED" || state === "SYNCING") resolve();
            if (state === "ERROR") process.stderr.write(`sync error: ${data?.error}\n`);
        });
        setTimeout(() => reject(new Error("the first sync did not complete")), STEP_TIMEOUT);
    });
    await client.startClient({ initialSyncLimit: 50 });
    await prepared;
    return client;
}

function bodies(client, roomId) {
    const room = client.getRoom(roomId);
    if (!room) return [];
    return room.getLiveTimeline().getEvents()
        .filter((e) => e.getType() === "m.room.message" || e.isEncrypted())
        .map((e) => ({ body: e.getContent()?.body, encrypted: e.isEncrypted(), failed: e.isDecryptionFailure() }));
}

async function decrypted(client, roomId, body) {
    return until(`${client.getUserId()} to decrypt "${body}"`, async () => {
        const room = client.getRoom(roomId);
        if (!room) return false;
        for (const e of room.getLiveTimeline().getEvents()) {
            if (e.isEncrypted()) await client.decryptEventIfNeeded(e);
            if (e.isEncrypted() && !e.isDecryptionFailure() && e.getContent()?.body === body) return true;
        }
        return false;
    });
}

const clients = [];
try {
    const aliceCreds = await register("alice", "alice-password");
    const bobCreds = await register("bob", "bob-password");
    step("registered alice and bob");
    const alice = await start(aliceCreds);
    clients.push(alice);
    const bob = await start(bobCreds);
    clients.push(bob);
    step("both clients synced");

    const aliceCrypto = alice.getCrypto();
    await aliceCrypto.bootstrapCrossSigning({
        authUploadDeviceSigningKeys: async (makeRequest) => {
            await makeRequest({
                type: "m.login.password",
                identifier: { type: "m.id.user", user: aliceCreds.user_id },
                password: "alice-password",
            });
        },
    });
    securityKey = await aliceCrypto.createRecoveryKeyFromPassphrase();
    await aliceCrypto.bootstrapSecretStorage({
        createSecretStorageKey: async () => securityKey,
        setupNewSecretStorage: true,
        setupNewKeyBackup: true,
    });
    const backupVersion = await until("alice's backup to be active", () => aliceCrypto.getActiveSessionBackupVersion());
    step(`alice set up cross-signing, secret storage and key backup version ${backupVersion}`);

    const { room_id: roomId } = await alice.createRoom({
        invite: [bobCreds.user_id],
        initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
    });
    await until("bob's invite", () => bob.getRoom(roomId)?.getMyMembership() === "invite");
    await bob.joinRoom(roomId);
    await until("alice to see bob join", () => alice.getRoom(roomId)?.getMember(bobCreds.user_id)?.membership === "join");
    step("encrypted room created, bob joined");

    await alice.sendMessage(roomId, { msgtype: "m.text", body: "hello bob" });
    await decrypted(bob, roomId, "hello bob");
    await bob.sendMessage(roomId, { msgtype: "m.text", body: "hello alice" });
    await decrypted(alice, roomId, "hello alice");
    step("both decrypted each other's message");

    // Alice's backup must hold both sessions (hers and bob's) before her new device restores it.
    const count = await until("both sessions in alice's backup", async () => {
        const r = await fetch(`${base}/_matrix/client/v3/room_keys/version`, {
            headers: { Authorization: `Bearer ${aliceCreds.access_token}` },
        });
        const info = await r.json();
        return r.ok && info.count >= 2 ? info.count : null;
    });
    step(`alice's backup holds ${count} keys`);

    const login = await sdk.createClient({ baseUrl: base }).loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: aliceCreds.user_id },
        password: "alice-password",
        initial_device_display_name: "alice's second device",
    });
    const alice2 = await start(login);
    clients.push(alice2);
    const crypto2 = alice2.getCrypto();
    const ssssReady = await alice2.secretStorage.getDefaultKeyId();
    if (!ssssReady) throw new Error("the new device did not read the secret-storage default key from its first sync");
    await crypto2.loadSessionBackupPrivateKeyFromSecretStorage();
    const check = await crypto2.checkKeyBackupAndEnable();
    if (!check?.backupInfo) throw new Error("the new device found no backup");
    const restored = await crypto2.restoreKeyBackup();
    step(`second device restored ${restored.imported} of ${restored.total} keys`);
    await decrypted(alice2, roomId, "hello bob");
    await decrypted(alice2, roomId, "hello alice");
    step("second device decrypted both messages from the backup");

    process.stdout.write("\n" + JSON.stringify({
        ok: true,
        room_id: roomId,
        backup_version: backupVersion,
        backup_count: count,
        restored: { imported: restored.imported, total: restored.total },
        bob_sees: bodies(bob, roomId),
        alice2_sees: bodies(alice2, roomId),
        steps,
    }) + "\n");
} catch (e) {
    process.stderr.write(`FAILED: ${e && e.stack ? e.stack : e}\n`);
    process.stdout.write("\n" + JSON.stringify({ ok: false, error: String(e && e.message ? e.message : e), steps }) + "\n");
    process.exitCode = 1;
} finally {
    for (const c of clients) c.stopClient();
    setTimeout(() => process.exit(), 200).unref();
}
