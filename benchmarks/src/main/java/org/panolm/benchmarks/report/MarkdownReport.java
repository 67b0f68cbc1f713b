package org.panolm.benchmarks.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;

/** Writes BENCHMARKS.md: what a user gains (from the figures), the run's facts, one table per section, notes. */
final class MarkdownReport {
    private final List<Figures.Line> lines;
    private final RunInfo info;
    private final String chartFile;

    MarkdownReport(List<Figures.Line> lines, RunInfo info, String chartFile) {
        this.lines = lines;
        this.info = info;
        this.chartFile = chartFile;
    }

    String document() {
        StringBuilder md = new StringBuilder();
        md.append("# panolm benchmarks\n\n");
        for (String s : gains()) md.append(s).append('\n');
        md.append('\n');
        md.append("Run ").append(info.get("date")).append(" on ").append(info.get("cpu")).append(", ")
                .append(info.get("cores")).append(" cores; ").append(info.get("jdk")).append("; libolm ")
                .append(info.get("libolm")).append(", OpenSSL ").append(info.get("openssl")).append(", libsodium ")
                .append(info.get("libsodium")).append("; vodozemac via ").append(info.get("wasm")).append(" on Node ")
                .append(info.get("node")).append("; JMH ").append(info.get("jmh")).append(" (")
                .append(info.get("jmhOptions")).append(").\n");
        md.append("Command: `").append(info.get("command")).append("`");
        if (info.quick()) md.append(" — a quick run: short warm-up and measurement, figures are rough");
        md.append(".\n\n");
        md.append("![Throughput per operation](").append(chartFile).append(")\n\n");
        md.append(tables());
        md.append(notes());
        return md.toString();
    }

    /** Only the tables, as printed by the run script. */
    String tables() {
        StringBuilder md = new StringBuilder();
        Map<String, List<Figures.Line>> sections = new LinkedHashMap<>();
        for (Figures.Line l : lines) {
            if (l.measured()) sections.computeIfAbsent(l.row().section(), k -> new ArrayList<>()).add(l);
        }
        for (var e : sections.entrySet()) {
            boolean alloc = e.getValue().stream().anyMatch(l -> l.alloc().isPresent());
            md.append("### ").append(e.getKey()).append("\n\n");
            md.append("| operation | panolm | libolm | pure JDK | vodozemac (wasm) | floor | panolm/libolm | panolm/JDK | panolm/floor |");
            if (alloc) md.append(" panolm B/op |");
            md.append('\n');
            md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
            if (alloc) md.append("--:|");
            md.append('\n');
            for (Figures.Line l : e.getValue()) {
                md.append("| ").append(l.row().label())
                        .append(" | ").append(Format.time(l.panolm()))
                        .append(" | ").append(Format.time(l.libolm()))
                        .append(" | ").append(Format.time(l.jdk()))
                        .append(" | ").append(Format.time(l.vodozemac()))
                        .append(l.row().throughOlmMachine() && l.vodozemac().isPresent() ? " " + Row.OLM_MACHINE_MARK : "")
                        .append(" | ").append(Format.time(l.floor()))
                        .append(" | ").append(Format.ratio(l.panolm(), l.libolm()))
                        .append(" | ").append(Format.ratio(l.panolm(), l.jdk()))
                        .append(" | ").append(Format.ratio(l.panolm(), l.floor()))
                        .append(" |");
                if (alloc) md.append(' ').append(Format.bytes(l.alloc())).append(" |");
                md.append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    /** Three lines on what a user gains, written from this run's figures so they never claim more. */
    private List<String> gains() {
        List<String> out = new ArrayList<>();
        out.add(claim("Room history: ", "decrypt in batches, per message, 256 B, newest first, 2 threads",
                "decrypt one message, 256 B, newest first", "256-byte Megolm message"));
        out.add(claim("Key backup: ", "decrypt in batches, per key, 2 threads", "decrypt one key",
                "backed-up room key"));
        Figures.Line pbkdf2 = byLabel("PBKDF2-HMAC-SHA-512, 500,000 iterations");
        Figures.Line export = byLabel("import 10,000 sessions from a file (500,000 rounds)");
        StringBuilder third = new StringBuilder("Security Phrase and exports: ");
        if (pbkdf2 != null && pbkdf2.panolm().isPresent() && pbkdf2.jdk().isPresent()) {
            third.append(String.format(Locale.ROOT, "the 500,000-round passphrase derivation takes %s (the JDK's own: %s)",
                    Format.time(pbkdf2.panolm()), Format.time(pbkdf2.jdk())));
        } else {
            third.append("the passphrase derivation was not measured in this run");
        }
        if (export != null && export.panolm().isPresent()) {
            third.append(String.format(Locale.ROOT, "; importing a 10,000-session key file takes %s%s.",
                    Format.time(export.panolm()), vs(export.panolm(), export.jdk(), "a pure-JDK import")));
        } else {
            third.append("; panolm's room-key export was not measured in this run.");
        }
        out.add(third.toString());
        // Markdown joins lines of one paragraph; a trailing backslash keeps them as three lines.
        out.set(0, out.get(0) + "\\");
        out.set(1, out.get(1) + "\\");
        return out;
    }

    private String claim(String prefix, String batchLabel, String singleLabel, String what) {
        Figures.Line batch = byLabel(batchLabel);
        Figures.Line single = byLabel(singleLabel);
        Figures.Line best = batch != null && batch.panolm().isPresent() ? batch : single;
        if (best == null || best.panolm().isEmpty()) {
            return prefix + "panolm was not measured in this run.";
        }
        // Batches are compared with libolm over as many threads; the JDK only has per-call figures.
        OptionalDouble libolmTime = best.libolm().isPresent() || single == null ? best.libolm() : single.libolm();
        String libolm = vs(best.panolm(), libolmTime, "libolm through FFM");
        String jdk = single != null ? vs(best.panolm(), single.jdk(), "the pure JDK") : "";
        String how = best == batch ? ", " + batchLabel.substring(batchLabel.lastIndexOf(", ") + 2) + ", in batches" : "";
        return String.format(Locale.ROOT, "%spanolm needs %s per %s (%,.0f per second%s)%s%s.", prefix,
                Format.time(best.panolm()), what, 1e9 / best.panolm().getAsDouble(), how, libolm, jdk);
    }

    private static String vs(OptionalDouble panolm, OptionalDouble other, String whom) {
        if (panolm.isEmpty() || other.isEmpty()) return "";
        return String.format(Locale.ROOT, ", %.1f× as fast as %s", other.getAsDouble() / panolm.getAsDouble(), whom);
    }

    private Figures.Line byLabel(String label) {
        return lines.stream().filter(l -> l.row().label().equals(label)).findFirst().orElse(null);
    }

    private String notes() {
        return """
                ### How to read this

                - Figures are time per operation (lower is better); batch rows are per message or per key.
                - Ratios are of throughput: `panolm/libolm` of 2.00× means panolm does twice as many operations per
                  second. `panolm/floor` is at most about 1 on one thread: 0.80× means panolm costs 1.25× the sum of
                  its primitives (the floor is one thread's, so two threads can pass it).
                - **libolm**: libolm 3.2 called once per message through FFM with the generated bindings, as a
                  jOlm-style wrapper does: inputs are copied into native scratch memory per call (libolm decodes
                  in place and destroys its input), buffers are reused. In batch rows, libolm's sessions are split
                  over the same number of Java threads as panolm's.
                - **pure JDK**: the same operation written on the JDK's own providers (SunEC Ed25519 and X25519,
                  AES/CBC, HmacSHA256, the JDK 25 HKDF `KDF`, PBKDF2WithHmacSHA512), in `benchmarks/src/.../jdk`.
                - **floor**: the sum of the operation's unavoidable primitives, each measured alone through
                  libpanolm (`org.panolm.subtle`) in the same run — Megolm decrypt: Ed25519 verify + HKDF + HMAC +
                  AES-CBC decrypt; backup encrypt: two X25519 + HKDF + AES-CBC + HMAC; exports: PBKDF2.
                - **vodozemac (wasm)**: matrix-sdk-crypto-wasm under Node, timed by `benchmarks/node/vodozemac.mjs`
                  (its own loop after a warm-up, not JMH), for the shapes its npm API exposes.
                - **† vodozemac (wasm) in the Olm rows is measured through `OlmMachine`: it includes its store
                  and JSON.** The npm API has no Olm account or session, so `benchmarks/node/olm.mjs` drives
                  OlmMachines over an in-script homeserver. Encrypting is `Device.encryptToDeviceEvent` (a
                  256-byte content, to which OlmMachine adds sender, recipient and keys); decrypting is a sync
                  carrying the message (`receiveSyncChanges`), whose fixed cost is the "one sync without
                  events" row (mostly the store transaction each sync commits, which round-trips the account
                  through a pickle). Setting a session up: claiming a one-time key (panolm and libolm use a
                  fallback key: the same agreements), the pre-key message, the receiver's sync. Sharing: `shareRoomKey` over established sessions to devices with real,
                  signed keys, a new Megolm session each time, timed from the call to its to-device requests,
                  on one thread (wasm has one), so it stands beside the one-thread rows only.
                - `panolm B/op`: bytes allocated on the Java heap per operation (JMH `-prof gc`). JMH counts every
                  thread of the fork, its own included, so for batch rows this is an upper bound; the test
                  `BulkAllocationTest` measures the calling thread alone (at most 16 bytes per message).
                - Per-message rows replay a ring of one session's messages; when it wraps the receiver is reset to
                  the imported key, so "in order" stays in order and "newest first" seeks back every time.
                  panolm is called there as libolm is: no event id (no replay bookkeeping) and no room check.
                - Batch rows: 8 sessions × 256 messages, interleaved as sent. panolm decrypts them in one
                  `BulkDecryptor` call with event ids and the room id (replay and room checks on); its sessions
                  stay imported and each call decrypts the same history again. libolm's sessions are re-imported
                  before each batch, untimed (its cached ratchet only moves forward). Backup batches: 1,024 keys.
                - Ratchet-seek rows time one whole batch of one session's 100,000 messages: equal figures for
                  both orders mean sorting by index removed the seeks.
                - The machine's other load shows in every figure; compare columns of one run, not runs.
                """;
    }
}
