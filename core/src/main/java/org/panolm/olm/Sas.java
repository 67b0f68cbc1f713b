package org.panolm.olm;

import static org.panolm.bindings.sas_h.*;

import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;
import java.util.Objects;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.bindings.sas_h;
import org.panolm.internal.libolm.Libolm;
import org.panolm.internal.libolm.LibolmObject;
import org.panolm.internal.libolm.LibolmType;
import org.panolm.internal.libolm.Scratch;

/**
 * libolm's short authentication string object ({@code OlmSAS}, {@code m.sas.v1}): an ephemeral
 * X25519 key pair, the shared secret with the other device's key, and the HKDF/HMAC outputs built from
 * it (docs/formats.md §9.1). Owns native memory: close it; after {@link #close()} every method throws
 * {@link IllegalStateException}. Thread-safe: methods are synchronized on the object.
 */
public final class Sas implements AutoCloseable {
    /** Bounds {@link #generateBytes}; SAS needs 6 (emoji) or 5 (decimal) bytes. */
    public static final int MAX_BYTES = 1024;

    private final LibolmObject olm;

    private Sas() {
        this.olm = LibolmObject.create(this, LibolmType.SAS);
    }

    /**
     * A new SAS object with a fresh ephemeral key pair.
     *
     * @return the SAS object; the caller closes it
     */
    public static Sas create() {
        return withRandom(null);
    }

    /**
     * With a chosen private key, so that tests can reproduce the published vectors. {@code null} means
     * random.
     */
    static Sas withRandom(byte[] privateKey) {
        Sas sas = new Sas();
        return sas.olm.initialize(sas, s -> s.init(privateKey));
    }

    private synchronized void init(byte[] privateKey) {
        long n = olm_create_sas_random_length(olm.pointer());
        if (privateKey != null && privateKey.length != n) {
            throw new PanolmException(Status.BAD_KEY, "SAS private key must be " + n + " bytes");
        }
        olm.callWithRandom(this, n, privateKey, sas_h::olm_create_sas, "creating a SAS");
    }

    /**
     * Our ephemeral X25519 public key (32 bytes), for {@code m.key.verification.key}.
     *
     * @return the public key
     */
    public synchronized byte[] publicKey() {
        MemorySegment p = olm.pointer();
        long n = olm_sas_pubkey_length(p);
        try (Scratch s = olm.scratch(n + Long.BYTES)) {
            MemorySegment out = s.take(n);
            olm.check(olm_sas_get_pubkey(p, out, n), "reading the SAS public key");
            return Libolm.getBase64(s, out, n, "SAS public key");
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * Sets the other device's ephemeral public key and computes the shared secret.
     *
     * @param theirKey their 32-byte public key
     * @throws PanolmException {@link Status#BAD_KEY} unless 32 bytes, {@link Status#NON_CONTRIBUTORY}
     *         for a low-order key
     */
    public synchronized void setTheirPublicKey(byte[] theirKey) {
        olm.pointer();
        Libolm.requireCurve25519PublicKey(theirKey, "their SAS public key");
        olm.callWithBase64(this, theirKey, sas_h::olm_sas_set_their_key, "setting their SAS key");
    }

    /**
     * Whether {@link #setTheirPublicKey} was called.
     *
     * @return true once their key is set
     */
    public synchronized boolean isTheirKeySet() {
        return olm.query(this, sas_h::olm_sas_is_their_key_set) != 0;
    }

    /**
     * {@code HKDF(shared secret, info)} truncated to {@code length} bytes: the SAS bytes for emoji (6)
     * or decimals (5).
     *
     * @param info the HKDF info string, as the spec builds it
     * @param length how many bytes
     * @return the SAS bytes
     * @throws OlmException {@link OlmError#SAS_THEIR_KEY_NOT_SET} before {@link #setTheirPublicKey}
     */
    public synchronized byte[] generateBytes(byte[] info, int length) {
        Objects.requireNonNull(info, "info");
        if (length < 1 || length > MAX_BYTES) {
            throw new PanolmException(Status.INVALID_ARGUMENT, "SAS byte count must be 1 to " + MAX_BYTES);
        }
        MemorySegment p = olm.pointer();
        try (Scratch s = olm.scratch(info.length + length)) {
            MemorySegment i = Libolm.put(s, info);
            MemorySegment out = s.take(length);
            olm.check(olm_sas_generate_bytes(p, i, info.length, out, length), "generating SAS bytes");
            return Libolm.get(out, length);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /**
     * The MAC of method {@code hkdf-hmac-sha256.v2}: HMAC-SHA-256 keyed with {@code HKDF(shared secret,
     * info)} over {@code input}; 32 bytes (sent as unpadded base64).
     *
     * @param input the text to MAC (a key or a list of key ids)
     * @param info the HKDF info string, as the spec builds it
     * @return the 32-byte MAC
     */
    public synchronized byte[] calculateMac(byte[] input, byte[] info) {
        String text = mac(input, info, Method.FIXED_BASE64);
        return org.panolm.encoding.MatrixBase64.decode(text, 32, "SAS MAC");
    }

    /**
     * The MAC of the legacy method {@code hkdf-hmac-sha256}: the same HMAC as {@link #calculateMac}, but
     * in the mangled base64 text libolm produced by encoding in place. The text is what goes on the
     * wire; it is not the base64 of the MAC. Only for peers that do not offer the v2 method.
     *
     * @param input the text to MAC
     * @param info the HKDF info string, as the spec builds it
     * @return the MAC text
     */
    public synchronized String calculateMacLegacyBase64(byte[] input, byte[] info) {
        return mac(input, info, Method.LEGACY_BASE64);
    }

    /**
     * The MAC of the older method {@code hmac-sha256} ("long KDF": a 256-byte HKDF output as HMAC key),
     * in the same mangled text as {@link #calculateMacLegacyBase64}. Only for very old peers.
     *
     * @param input the text to MAC
     * @param info the HKDF info string, as the spec builds it
     * @return the MAC text
     */
    public synchronized String calculateMacLongKdf(byte[] input, byte[] info) {
        return mac(input, info, Method.LONG_KDF);
    }

    private enum Method { FIXED_BASE64, LEGACY_BASE64, LONG_KDF }

    private String mac(byte[] input, byte[] info, Method method) {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(info, "info");
        MemorySegment p = olm.pointer();
        long n = olm_sas_mac_length(p);
        try (Scratch s = olm.scratch(input.length + info.length + n)) {
            MemorySegment in = Libolm.put(s, input);
            MemorySegment i = Libolm.put(s, info);
            MemorySegment out = s.take(n);
            long result = switch (method) {
                case FIXED_BASE64 -> olm_sas_calculate_mac_fixed_base64(p, in, input.length, i, info.length, out, n);
                case LEGACY_BASE64 -> olm_sas_calculate_mac(p, in, input.length, i, info.length, out, n);
                case LONG_KDF -> olm_sas_calculate_mac_long_kdf(p, in, input.length, i, info.length, out, n);
            };
            olm.check(result, "calculating a SAS MAC");
            return Libolm.getAscii(out, n);
        } finally {
            Reference.reachabilityFence(this);
        }
    }

    /** Wipes the ephemeral key and shared secret. Idempotent. */
    @Override
    public synchronized void close() {
        olm.close();
    }

    /**
     * Whether {@link #close()} was called.
     *
     * @return true once closed
     */
    public boolean isClosed() {
        return olm.isClosed();
    }

    @Override
    public String toString() {
        return olm.isClosed() ? "Sas[closed]" : "Sas";
    }
}
