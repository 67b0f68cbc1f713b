package org.panolm.benchmarks.report;

import static org.panolm.benchmarks.report.BenchRef.of;

import java.util.ArrayList;
import java.util.List;

/**
 * The operations of the report and the benchmarks that measure each one. A floor is the sum of the
 * libpanolm primitives the operation cannot avoid (measured alone, in the same run).
 */
public final class Catalogue {
    private Catalogue() {}

    static final String MEGOLM = "Megolm";
    static final String BACKUP = "Key backup";
    static final String OLM = "Olm";
    static final String ENGINE = "The engine (OlmMachine) and its store";
    static final String KDF = "Security Phrase and room-key export";
    static final String PRIMITIVES = "Primitives alone (the floors)";
    static final String FFM = "One FFM downcall";

    private static final String[] SIZES = {"64", "256", "4096"};
    private static final String[] ORDERS = {"IN_ORDER", "NEWEST_FIRST"};

    public static List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        for (String order : ORDERS) {
            for (String size : SIZES) {
                String shape = size + " B, " + (order.equals("IN_ORDER") ? "in order" : "newest first");
                rows.add(new Row(MEGOLM, "decrypt one message, " + shape,
                        decrypt("PANOLM", size, order), decrypt("LIBOLM", size, order), decrypt("JDK", size, order),
                        megolmDecryptFloor(size), null, size.equals("256")));
            }
        }
        for (String threads : new String[] {"1", "2"}) {
            for (String order : ORDERS) {
                for (String size : SIZES) {
                    String shape = size + " B, " + (order.equals("IN_ORDER") ? "in order" : "newest first") + ", "
                            + threads + (threads.equals("1") ? " thread" : " threads");
                    rows.add(new Row(MEGOLM, "decrypt in batches, per message, " + shape,
                            bulk("PANOLM", threads, size, order), libolmBatch(threads, size, order), null,
                            megolmDecryptFloor(size), null, size.equals("256") && order.equals("IN_ORDER")));
                }
            }
        }
        for (String threads : new String[] {"1", "2"}) {
            String on = threads + (threads.equals("1") ? " thread" : " threads");
            rows.add(new Row(MEGOLM, "ratchet seek: one session's 100,000 messages in one batch, in order, " + on
                    + " (whole batch)", of("RatchetSeekBench", "decrypt", "order", "IN_ORDER", "seekMessages", "100000",
                    "threads", threads), null, null, List.of(), null, false));
            rows.add(new Row(MEGOLM, "ratchet seek: one session's 100,000 messages in one batch, newest first, " + on
                    + " (whole batch)", of("RatchetSeekBench", "decrypt", "order", "NEWEST_FIRST", "seekMessages",
                    "100000", "threads", threads), null, null, List.of(), null, false));
        }
        for (String mode : new String[] {"EACH", "BATCH"}) {
            rows.add(new Row(MEGOLM, "Ed25519 signature check of a Megolm message, "
                    + (mode.equals("EACH") ? "one libsodium verification each" : "batch verification") + " (per signature)",
                    of("Ed25519BatchVerifyBench", "verify", "mode", mode, "forged", "NONE"), null, null, List.of(), null,
                    false));
        }
        for (String size : SIZES) {
            rows.add(new Row(MEGOLM, "encrypt one message, " + size + " B",
                    encrypt("PANOLM", size), encrypt("LIBOLM", size), encrypt("JDK", size),
                    List.of(sized("ed25519Sign", size), fixed("hkdfMegolm"), sized("aesCbcEncrypt", size),
                            sized("hmacSha256", size)), null, size.equals("256")));
        }

        // The vodozemac keys are benchmarks/node/olm.mjs's timings, taken through OlmMachine.
        for (String[] op : new String[][] {{"encrypt", "encrypt one message, 256 B", "olmEncrypt"},
                {"encryptAndDecrypt", "encrypt and decrypt one message, 256 B", "olmEncryptAndDecrypt"},
                {"createSession", "set up a session: outbound, pre-key message, inbound, decrypt", "olmCreateSession"}}) {
            rows.add(new Row(OLM, op[1], of("OlmSessionBench", op[0], "impl", "PANOLM", "size", "256"),
                    of("OlmSessionBench", op[0], "impl", "LIBOLM", "size", "256"), null, List.of(), op[2], true, true));
        }
        rows.add(new Row(OLM, "OlmMachine alone: one sync without events (inside each vodozemac decryption above)", null,
                null, null, List.of(), "olmEmptySync", false, true));
        for (String recipients : new String[] {"1000", "10000"}) {
            for (String threads : new String[] {"1", "2"}) {
                // wasm runs on one thread: its figure stands beside the one-thread rows only.
                rows.add(new Row(OLM, "share a room key with " + (recipients.equals("1000") ? "1,000" : "10,000")
                        + " devices, " + threads + (threads.equals("1") ? " thread" : " threads") + " (whole share)",
                        of("OlmShareBench", "share", "impl", "PANOLM", "recipients", recipients, "threads", threads),
                        of("OlmShareBench", "share", "impl", "LIBOLM", "recipients", recipients, "threads", threads),
                        null, List.of(), threads.equals("1") ? "olmShare" + recipients : null, false, true));
            }
        }

        for (String recipients : new String[] {"1000", "10000"}) {
            // The same operation as matrix-sdk-crypto's OlmMachine.shareRoomKey: both include store and JSON.
            rows.add(new Row(ENGINE, "shareRoomKey with " + (recipients.equals("1000") ? "1,000" : "10,000")
                    + " devices with Olm sessions: new session, Olm batch, store, to-device bodies (whole share)",
                    of("EngineShareBench", "share", "recipients", recipients), null, null, List.of(),
                    "olmShare" + recipients, false, true));
        }
        rows.add(new Row(ENGINE, "store of 1,000,000 room keys: insert one key, own transaction",
                of("StoreRoomKeyBench", "insertOne", "keys", "1000000"), null, null, List.of(), null, false));
        rows.add(new Row(ENGINE, "store of 1,000,000 room keys: insert, per key, transactions of 1,000",
                of("StoreRoomKeyBench", "insertInTransactionsOf1000", "keys", "1000000"), null, null, List.of(), null,
                false));
        rows.add(new Row(ENGINE, "store of 1,000,000 room keys: look one up by room and session",
                of("StoreRoomKeyBench", "lookup", "keys", "1000000"), null, null, List.of(), null, false));

        List<BenchRef> encryptFloor = List.of(fixed("x25519KeyGen"), fixed("x25519Agreement"), fixed("hkdfBackup"),
                sized("aesCbcEncrypt", "256"), fixed("hmacEmpty"));
        List<BenchRef> decryptFloor = List.of(fixed("x25519Agreement"), fixed("hkdfBackup"), fixed("hmacEmpty"),
                sized("aesCbcDecrypt", "256"));
        rows.add(new Row(BACKUP, "encrypt one key", of("BackupKeyBench", "encrypt", "impl", "PANOLM"),
                of("BackupKeyBench", "encrypt", "impl", "LIBOLM"), of("BackupKeyBench", "encrypt", "impl", "JDK"),
                encryptFloor, "backupEncrypt", true));
        rows.add(new Row(BACKUP, "decrypt one key", of("BackupKeyBench", "decrypt", "impl", "PANOLM"),
                of("BackupKeyBench", "decrypt", "impl", "LIBOLM"), of("BackupKeyBench", "decrypt", "impl", "JDK"),
                decryptFloor, "backupDecrypt", true));
        for (String threads : new String[] {"1", "2"}) {
            String t = threads + (threads.equals("1") ? " thread" : " threads");
            rows.add(new Row(BACKUP, "encrypt in batches, per key, " + t,
                    of("BackupBatchBench", "encrypt", "impl", "PANOLM", "threads", threads),
                    of("BackupBatchBench", "encrypt", "impl", "LIBOLM", "threads", threads), null,
                    encryptFloor, null, true));
            rows.add(new Row(BACKUP, "decrypt in batches, per key, " + t,
                    of("BackupBatchBench", "decrypt", "impl", "PANOLM", "threads", threads),
                    of("BackupBatchBench", "decrypt", "impl", "LIBOLM", "threads", threads), null,
                    decryptFloor, null, true));
        }

        rows.add(new Row(KDF, "PBKDF2-HMAC-SHA-512, 500,000 iterations", of("Pbkdf2Bench", "panolm"), null,
                of("Pbkdf2Bench", "jdk"), List.of(), null, true));
        List<BenchRef> pbkdf2 = List.of(of("Pbkdf2Bench", "panolm"));
        rows.add(new Row(KDF, "export 10,000 sessions to a file (500,000 rounds)", of("KeyExportBench", "exportPanolm"),
                null, of("KeyExportBench", "exportJdk"), pbkdf2, "exportEncrypt", true));
        rows.add(new Row(KDF, "import 10,000 sessions from a file (500,000 rounds)", of("KeyExportBench", "importPanolm"),
                null, of("KeyExportBench", "importJdk"), pbkdf2, "exportDecrypt", true));

        String[][] primitives = {
                {"Ed25519 verify, 256 B message", "SizedPrimitiveBench", "ed25519Verify", "256"},
                {"Ed25519 sign, 256 B message", "SizedPrimitiveBench", "ed25519Sign", "256"},
                {"X25519 key generation", "FixedPrimitiveBench", "x25519KeyGen", null},
                {"X25519 agreement", "FixedPrimitiveBench", "x25519Agreement", null},
                {"HKDF-SHA-256, Megolm (128 B in, 80 B out)", "FixedPrimitiveBench", "hkdfMegolm", null},
                {"HKDF-SHA-256, backup (32 B in, 80 B out)", "FixedPrimitiveBench", "hkdfBackup", null},
                {"AES-256-CBC encrypt, 256 B", "SizedPrimitiveBench", "aesCbcEncrypt", "256"},
                {"AES-256-CBC decrypt, 256 B", "SizedPrimitiveBench", "aesCbcDecrypt", "256"},
                {"HMAC-SHA-256, a 256 B message's MAC input", "SizedPrimitiveBench", "hmacSha256", "256"},
                {"HMAC-SHA-256, one ratchet step", "FixedPrimitiveBench", "ratchetStep", null},
        };
        for (String[] p : primitives) {
            BenchRef panolm = p[3] == null ? of(p[1], p[2]) : of(p[1], p[2], "size", p[3]);
            BenchRef jdk = p[3] == null ? of("Jdk" + p[1], p[2]) : of("Jdk" + p[1], p[2], "size", p[3]);
            rows.add(new Row(PRIMITIVES, p[0], panolm, null, jdk, List.of(), null, false));
        }

        rows.add(new Row(FFM, "no arguments", of("DowncallBench", "noArguments"), null, null, List.of(), null, false));
        rows.add(new Row(FFM, "no arguments, critical", of("DowncallBench", "noArgumentsCritical"), null, null, List.of(),
                null, false));
        rows.add(new Row(FFM, "two native segments", of("DowncallBench", "nativeSegments"), null, null, List.of(), null,
                false));
        rows.add(new Row(FFM, "two native segments, critical", of("DowncallBench", "nativeSegmentsCritical"), null, null,
                List.of(), null, false));
        rows.add(new Row(FFM, "two heap arrays, critical", of("DowncallBench", "heapSegmentsCritical"), null, null,
                List.of(), null, false));
        return rows;
    }

    /** The section's name in the chart, where space is short. */
    static String shortSection(String section) {
        return switch (section) {
            case KDF -> "Keys";
            case BACKUP -> "Backup";
            case ENGINE -> "Engine";
            default -> section;
        };
    }

    private static BenchRef decrypt(String impl, String size, String order) {
        return of("MegolmDecryptBench", "decrypt", "impl", impl, "size", size, "order", order);
    }

    private static BenchRef bulk(String impl, String threads, String size, String order) {
        return of("BulkDecryptBench", "decrypt", "impl", impl, "threads", threads, "size", size, "order", order);
    }

    /** On one thread libolm's batch is its per-message loop; on two, sessions are split over Java threads. */
    private static BenchRef libolmBatch(String threads, String size, String order) {
        return threads.equals("1") ? decrypt("LIBOLM", size, order)
                : of("LibolmBulkDecryptBench", "decrypt", "threads", threads, "size", size, "order", order);
    }

    private static BenchRef encrypt(String impl, String size) {
        return of("MegolmEncryptBench", "encrypt", "impl", impl, "size", size);
    }

    private static List<BenchRef> megolmDecryptFloor(String size) {
        return List.of(sized("ed25519Verify", size), fixed("hkdfMegolm"), sized("hmacSha256", size),
                sized("aesCbcDecrypt", size));
    }

    private static BenchRef sized(String method, String size) {
        return of("SizedPrimitiveBench", method, "size", size);
    }

    private static BenchRef fixed(String method) {
        return of("FixedPrimitiveBench", method);
    }
}
