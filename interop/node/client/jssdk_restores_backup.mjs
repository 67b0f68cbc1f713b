// matrix-js-sdk restores a Secure Backup that panolm set up with a Security Phrase.
//   node jssdk_restores_backup.mjs <base url> <user id> <password> <room id>   (the Security Phrase on stdin)
// A new js-sdk device signs in, reads secret storage from its first sync, derives the secret-storage key from the
// phrase with the key description's own salt and iterations, loads the backup key from secret storage, restores
// the backup and decrypts the room's history. The summary (last stdout line) lists the bodies it decrypted.
import { readFileSync } from "node:fs";
import { login, start, step, until, run } from "./common.mjs";

const { deriveRecoveryKeyFromPassphrase } = await import("matrix-js-sdk/lib/crypto-api/key-passphrase.js");

const [base, userId, password, roomId] = process.argv.slice(2);
if (!roomId) throw new Error("usage: node jssdk_restores_backup.mjs <base url> <user id> <password> <room id>");
// The phrase never goes on the command line.
const phrase = readFileSync(0, "utf8").replace(/\n$/, "");

await run(async (clients) => {
    const creds = await login(base, userId, password, "js-sdk restoring device");
    const client = await start(base, creds, async (_keyId, info) => {
        if (!info.passphrase) throw new Error("the default key has no passphrase description");
        return deriveRecoveryKeyFromPassphrase(phrase, info.passphrase.salt, info.passphrase.iterations);
    });
    clients.push(client);
    const crypto = client.getCrypto();
    const keyId = await client.secretStorage.getDefaultKeyId();
    if (!keyId) throw new Error("no default secret-storage key in the first sync");
    await crypto.loadSessionBackupPrivateKeyFromSecretStorage();
    step("backup key loaded from secret storage with the Security Phrase");
    const check = await crypto.checkKeyBackupAndEnable();
    if (!check?.backupInfo) throw new Error("js-sdk found no backup");
    const restored = await crypto.restoreKeyBackup();
    step(`restored ${restored.imported} of ${restored.total} keys`);

    const bodies = await until("every event to decrypt", async () => {
        const room = client.getRoom(roomId);
        if (!room) return null;
        const events = room.getLiveTimeline().getEvents().filter((e) => e.isEncrypted());
        if (events.length === 0) return null;
        for (const e of events) await client.decryptEventIfNeeded(e);
        if (events.some((e) => e.isDecryptionFailure() || e.getClearContent() === null)) return null;
        return events.map((e) => e.getContent().body);
    });
    step(`decrypted ${bodies.length} events`);
    return {
        backup_version: check.backupInfo.version,
        trusted: check.trustInfo?.trusted ?? null,
        restored: { imported: restored.imported, total: restored.total },
        bodies,
    };
});
