// matrix-js-sdk sets up Secure Backup with a Security Key and sends messages; panolm restores them.
//   node jssdk_sets_up_backup.mjs <base url> <username> <password> <message count>
// The user registers, bootstraps cross-signing, secret storage and key backup as Element does, creates an
// encrypted room, sends the messages, and waits until its backup holds the room's keys. The summary (last stdout
// line) gives the user, room, Security Key and message bodies for the Java side.
import { sdk, register, start, step, until, run } from "./common.mjs";

const { decodeRecoveryKey } = await import("matrix-js-sdk/lib/crypto-api/recovery-key.js");

const [base, username, password, countText] = process.argv.slice(2);
if (!countText) throw new Error("usage: node jssdk_sets_up_backup.mjs <base url> <username> <password> <count>");
const count = Number(countText);

await run(async (clients) => {
    const creds = await register(base, username, password);
    let securityKey = null;
    const client = await start(base, creds, async () => securityKey && decodeRecoveryKey(securityKey.encodedPrivateKey));
    clients.push(client);
    const crypto = client.getCrypto();
    await crypto.bootstrapCrossSigning({
        authUploadDeviceSigningKeys: async (makeRequest) => {
            await makeRequest({
                type: "m.login.password",
                identifier: { type: "m.id.user", user: creds.user_id },
                password,
            });
        },
    });
    securityKey = await crypto.createRecoveryKeyFromPassphrase();
    await crypto.bootstrapSecretStorage({
        createSecretStorageKey: async () => securityKey,
        setupNewSecretStorage: true,
        setupNewKeyBackup: true,
    });
    const version = await until("the backup to be active", () => crypto.getActiveSessionBackupVersion());
    step(`cross-signing, secret storage and backup version ${version}`);

    const { room_id: roomId } = await client.createRoom({
        name: "js-sdk history",
        initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }],
    });
    await until("the room", () => client.getRoom(roomId)?.hasEncryptionStateEvent());
    const bodies = [];
    for (let i = 0; i < count; i++) {
        const body = `message ${i} from matrix-js-sdk`;
        await client.sendMessage(roomId, { msgtype: "m.text", body });
        bodies.push(body);
    }
    step(`sent ${count} encrypted messages`);

    const keys = await until("the room key in the backup", async () => {
        const r = await fetch(`${base}/_matrix/client/v3/room_keys/keys?version=${encodeURIComponent(version)}`, {
            headers: { Authorization: `Bearer ${creds.access_token}` },
        });
        const body = await r.json();
        const sessions = Object.keys(body.rooms?.[roomId]?.sessions ?? {});
        return r.ok && sessions.length > 0 ? sessions : null;
    });
    step(`the backup holds ${keys.length} session(s) of the room`);
    return {
        user_id: creds.user_id,
        room_id: roomId,
        backup_version: version,
        security_key: securityKey.encodedPrivateKey,
        bodies,
    };
});
