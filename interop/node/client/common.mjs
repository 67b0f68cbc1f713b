// Shared by the client interop scripts: matrix-js-sdk (Rust crypto) set up to talk to the panolm test homeserver.

// matrix-js-sdk 43 calls Promise.withResolvers, which Node 20 lacks: provide it before the SDK loads.
if (!Promise.withResolvers) {
    Promise.withResolvers = function withResolvers() {
        let resolve;
        let reject;
        const promise = new Promise((res, rej) => {
            resolve = res;
            reject = rej;
        });
        return { promise, resolve, reject };
    };
}
// The SDK's and Rust crypto's logs go to stderr: stdout carries only the JSON summary.
for (const level of ["log", "info", "warn", "debug", "trace"]) {
    console[level] = (...args) => process.stderr.write(args.map(String).join(" ") + "\n");
}

export const sdk = await import("matrix-js-sdk");
export const STEP_TIMEOUT = 60_000;

const started = Date.now();
export const steps = [];

export function step(name) {
    steps.push({ name, ms: Date.now() - started });
    process.stderr.write(`== ${name} (${Date.now() - started} ms)\n`);
}

export async function until(what, check) {
    const deadline = Date.now() + STEP_TIMEOUT;
    while (Date.now() < deadline) {
        const v = await check();
        if (v) return v;
        await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out waiting for ${what}`);
}

export async function register(base, username, password) {
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

export async function login(base, userId, password, deviceName) {
    return sdk.createClient({ baseUrl: base }).loginRequest({
        type: "m.login.password",
        identifier: { type: "m.id.user", user: userId },
        password,
        initial_device_display_name: deviceName,
    });
}

/** A started client with Rust crypto; getSecretStorageKey answers with whatever keyFor() returns. */
export async function start(base, creds, keyFor) {
    const client = sdk.createClient({
        baseUrl: base,
        userId: creds.user_id,
        accessToken: creds.access_token,
        deviceId: creds.device_id,
        cryptoCallbacks: {
            getSecretStorageKey: async ({ keys }) => {
                const [keyId, info] = Object.entries(keys)[0];
                const key = await keyFor(keyId, info);
                return key ? [keyId, key] : null;
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
    await client.startClient({ initialSyncLimit: 100 });
    await prepared;
    return client;
}

/** Runs main, printing its result (or the failure) as the last stdout line, and stops the clients. */
export async function run(main) {
    const clients = [];
    try {
        const result = await main(clients);
        process.stdout.write("\n" + JSON.stringify({ ok: true, ...result, steps }) + "\n");
    } catch (e) {
        process.stderr.write(`FAILED: ${e && e.stack ? e.stack : e}\n`);
        process.stdout.write("\n" + JSON.stringify({ ok: false, error: String(e && e.message ? e.message : e), steps }) + "\n");
        process.exitCode = 1;
    } finally {
        for (const c of clients) c.stopClient();
        // Rust crypto keeps timers alive: leave once the summary is out.
        setTimeout(() => process.exit(), 200);
    }
}
