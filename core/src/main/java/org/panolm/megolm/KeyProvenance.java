package org.panolm.megolm;

import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.JsonValue;
import org.jspecify.annotations.Nullable;

/**
 * Where a room key (an inbound Megolm session) came from, recorded when it arrived and never changed
 * afterwards. It decides how far a decryption with that key can be trusted:
 * <ul>
 *   <li>{@link #authenticated()}: the key reached us straight from its creator, over Olm, from a device that
 *       owns it (its Curve25519 and Ed25519 keys both match the device's), or we created it ourselves. This is
 *       the spec's {@code is_verified} and matrix-sdk-crypto's "authenticated" sender data. Anything else
 *       (forwarded, imported from a file, restored from a backup, unknown) is not: such a key decrypts, but
 *       whoever handed it over could have swapped the session for one of their own.</li>
 *   <li>{@link #trust()}: the same with one more step, whether the sending device was verified.</li>
 * </ul>
 * A Megolm message's authenticity comes from the session's Ed25519 signing key (the session id), not from
 * the ratchet: a message that decrypts was signed by whoever created the session. So the provenance of a
 * session's identity is what matters, and a copy of the same session whose ratchet connects to an
 * authenticated one (the lower-index ratchet, advanced, meets the other) may be used under the
 * authenticated provenance.
 *
 * <p>Immutable. Serialises to JSON with a {@code "source"} discriminator ({@code created}, {@code olm},
 * {@code forwarded}, {@code file}, {@code backup}, {@code unknown}) and snake_case fields, as the key store
 * and the CLI write it; none of it is part of any Matrix wire format.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "source")
@JsonSubTypes({
        @JsonSubTypes.Type(value = KeyProvenance.CreatedHere.class, name = "created"),
        @JsonSubTypes.Type(value = KeyProvenance.ReceivedOverOlm.class, name = "olm"),
        @JsonSubTypes.Type(value = KeyProvenance.Forwarded.class, name = "forwarded"),
        @JsonSubTypes.Type(value = KeyProvenance.ImportedFromFile.class, name = "file"),
        @JsonSubTypes.Type(value = KeyProvenance.RestoredFromBackup.class, name = "backup"),
        @JsonSubTypes.Type(value = KeyProvenance.Unknown.class, name = "unknown")})
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public sealed interface KeyProvenance {

    /** How far a decryption with a key of this provenance can be trusted, best first. */
    enum Trust {
        /** Authenticated, and the sending device was verified (or the key is our own). */
        SENDER_VERIFIED,
        /** Authenticated: from the device that owns the key, over Olm; that device was not verified. */
        SENDER_AUTHENTICATED,
        /** Not authenticated: the key could have been swapped by whoever handed it over. */
        UNAUTHENTICATED;

        /**
         * The name in JSON.
         *
         * @return the lower-case name
         */
        @JsonValue
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Whether the key is known to come from its creator (see the type's documentation).
     *
     * @return true when authenticated
     */
    boolean authenticated();

    /**
     * Whether the device the key came from was verified when it arrived (false when not received from it).
     *
     * @return true when the sending device was verified
     */
    default boolean senderVerified() {
        return false;
    }

    /**
     * How far a decryption with this key can be trusted.
     *
     * @return the trust
     */
    default Trust trust() {
        return !authenticated() ? Trust.UNAUTHENTICATED
                : senderVerified() ? Trust.SENDER_VERIFIED : Trust.SENDER_AUTHENTICATED;
    }

    /**
     * The JSON discriminator: {@code created}, {@code olm}, {@code forwarded}, {@code file}, {@code backup}, {@code
     * unknown}.
     *
     * @return the source's name
     */
    String source();

    /** The outcome of the device check when an {@code m.room_key} arrived over Olm. */
    enum DeviceCheck {
        /** A known device owns the key (the Olm sender key and the claimed Ed25519 key are its keys) and it was verified. */
        VERIFIED,
        /** A known device owns the key, but was not verified. */
        KEYS_MATCH,
        /** No known device owns the key: the device is unknown, or its keys differ from the ones the key claims. */
        NOT_MATCHED;

        /**
         * The name in JSON.
         *
         * @return the lower-case name
         */
        @JsonValue
        public String jsonName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** We created the session (our own outbound session, imported into our inbound sessions). */
    record CreatedHere() implements KeyProvenance {
        @Override
        public boolean authenticated() {
            return true;
        }

        @Override
        public boolean senderVerified() {
            return true;
        }

        @Override
        public String source() {
            return "created";
        }
    }

    /**
     * Received in an {@code m.room_key} to-device event, Olm-encrypted, from its creator.
     *
     * @param senderUserId        the Olm sender's user id, as the decrypted payload names it
     * @param senderDeviceId      the device the Olm sender key belongs to, when known (else null)
     * @param senderCurve25519Key the Curve25519 key of the Olm session the key arrived on
     * @param device              whether a known device owned the key, and whether it was verified, at receipt
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ReceivedOverOlm(
            @JsonProperty("sender_user_id") String senderUserId,
            @JsonProperty("sender_device_id") String senderDeviceId,
            @JsonProperty("sender_curve25519_key") String senderCurve25519Key,
            @JsonProperty("device") DeviceCheck device) implements KeyProvenance {

        /** The sender key and device check are required. */
        public ReceivedOverOlm {
            Objects.requireNonNull(senderCurve25519Key, "senderCurve25519Key");
            Objects.requireNonNull(device, "device");
        }

        @Override
        public boolean authenticated() {
            return device != DeviceCheck.NOT_MATCHED;
        }

        @Override
        public boolean senderVerified() {
            return device == DeviceCheck.VERIFIED;
        }

        @Override
        public String source() {
            return "olm";
        }
    }

    /**
     * Received in an {@code m.forwarded_room_key}: another device (normally one of our own) passed on a key
     * it held. The creator is only claimed by the forward ({@code sender_key}, {@code sender_claimed_keys}).
     *
     * @param forwarderUserId         the forwarding device's user
     * @param forwarderDeviceId       the forwarding device, when known (else null)
     * @param forwarderCurve25519Key  the Curve25519 key of the Olm session the forward arrived on
     * @param forwarderVerified       whether the forwarding device was verified at receipt
     * @param forwardingCurve25519KeyChain the chain the forward carried (devices the key passed through
     *                                before the forwarder; the forwarder's own key is not in it)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Forwarded(
            @JsonProperty("forwarder_user_id") String forwarderUserId,
            @JsonProperty("forwarder_device_id") String forwarderDeviceId,
            @JsonProperty("forwarder_curve25519_key") String forwarderCurve25519Key,
            @JsonProperty("forwarder_verified") boolean forwarderVerified,
            @JsonProperty("forwarding_curve25519_key_chain") List<String> forwardingCurve25519KeyChain)
            implements KeyProvenance {

        /** The forwarder's key is required; a missing chain is empty. */
        public Forwarded {
            Objects.requireNonNull(forwarderCurve25519Key, "forwarderCurve25519Key");
            forwardingCurve25519KeyChain = forwardingCurve25519KeyChain == null ? List.of()
                    : List.copyOf(forwardingCurve25519KeyChain);
        }

        @Override
        public boolean authenticated() {
            return false;
        }

        @Override
        public String source() {
            return "forwarded";
        }
    }

    /**
     * Read from a file: a room-key export file or a plain JSON list of keys.
     *
     * @param file    names the file (its name as the user gave it), or null when it came from a stream
     * @param claimed the provenance the file says the key had where it was exported (panolm writes it as an
     *                extra field of each key); a claim by whoever wrote the file, never trusted; null when
     *                the file says nothing. One level only: a claim never carries a claim of its own.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ImportedFromFile(
            @JsonProperty("file") @Nullable String file,
            @JsonProperty("claimed") @Nullable KeyProvenance claimed) implements KeyProvenance {

        /** A claim never carries a claim of its own: one level is kept. */
        public ImportedFromFile {
            if (claimed instanceof ImportedFromFile f && f.claimed != null) {
                claimed = new ImportedFromFile(f.file, null);
            }
        }

        @Override
        public boolean authenticated() {
            return false;
        }

        @Override
        public String source() {
            return "file";
        }
    }

    /**
     * Restored from server-side key backup ({@code m.megolm_backup.v1.curve25519-aes-sha2}). Its entries are
     * not authenticated whatever {@code auth_data} says: anyone who knows the backup's public key, the server
     * included, can write them.
     *
     * @param backupVersion   the backup version the key came from, when known (else null)
     * @param authDataTrusted whether that version's {@code auth_data} carried a signature we trust
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RestoredFromBackup(
            @JsonProperty("backup_version") String backupVersion,
            @JsonProperty("auth_data_trusted") boolean authDataTrusted) implements KeyProvenance {

        @Override
        public boolean authenticated() {
            return false;
        }

        @Override
        public String source() {
            return "backup";
        }
    }

    /** Not recorded: a key given without saying where it came from, or stored before panolm recorded it. */
    record Unknown() implements KeyProvenance {
        @Override
        public boolean authenticated() {
            return false;
        }

        @Override
        public String source() {
            return "unknown";
        }
    }

    /** The provenance of a session we created. */
    KeyProvenance CREATED_HERE = new CreatedHere();
    /** The provenance of a key whose origin is not recorded. */
    KeyProvenance UNKNOWN = new Unknown();
}
