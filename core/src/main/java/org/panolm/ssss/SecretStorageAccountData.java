package org.panolm.ssss;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.panolm.PanolmException;
import org.panolm.Status;
import org.panolm.internal.SafeJson;

/**
 * A user's global account data, as far as secret storage needs it, read from any of the shapes clients
 * hold it in:
 * <ul>
 *   <li>the {@code account_data} object of a {@code /sync} response: {@code {"events": [{type, content}]}}
 *       (a whole {@code /sync} response with that member is accepted too);</li>
 *   <li>a JSON array of events {@code [{type, content}]};</li>
 *   <li>an object from event type to content {@code {"m.secret_storage.default_key": {...}, ...}}.</li>
 * </ul>
 */
public final class SecretStorageAccountData {
    private static final ObjectMapper JSON = SafeJson.mapper();

    private final Map<String, JsonNode> contentByType;

    private SecretStorageAccountData(Map<String, JsonNode> contentByType) {
        this.contentByType = Collections.unmodifiableMap(contentByType);
    }

    /**
     * Reads account data in any of the shapes above.
     *
     * @param in the JSON, UTF-8
     * @return the account data
     * @throws IOException when reading fails
     */
    public static SecretStorageAccountData read(InputStream in) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            throw new PanolmException(Status.BAD_EVENT, "account data: " + SafeJson.describe(e));
        } catch (java.io.CharConversionException e) {
            // Bytes that look like UTF-16/32 but are not: bad input, not an I/O failure.
            throw new PanolmException(Status.BAD_EVENT, "account data is not valid Unicode text");
        }
        return from(root);
    }

    /**
     * Parses account data in any of the shapes above.
     *
     * @param json the JSON text
     * @return the account data
     */
    public static SecretStorageAccountData parse(String json) {
        try {
            return from(JSON.readTree(json));
        } catch (JsonProcessingException e) {
            throw new PanolmException(Status.BAD_EVENT, "account data: " + SafeJson.describe(e));
        }
    }

    /** Account data from an already parsed JSON tree in any of the shapes above. */
    static SecretStorageAccountData from(JsonNode root) {
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new PanolmException(Status.BAD_EVENT, "account data is empty");
        }
        if (root.isObject() && root.has("account_data") && root.get("account_data").isObject()) {
            root = root.get("account_data");
        }
        Map<String, JsonNode> byType = new LinkedHashMap<>();
        if (root.isObject() && root.has("events") && root.get("events").isArray()) {
            readEvents(root.get("events"), byType);
        } else if (root.isArray()) {
            readEvents(root, byType);
        } else if (root.isObject()) {
            for (var it = root.fields(); it.hasNext(); ) {
                var e = it.next();
                byType.put(e.getKey(), requireObject(e.getValue(), "account data " + e.getKey()));
            }
        } else {
            throw new PanolmException(Status.BAD_EVENT,
                    "account data must be a /sync account_data object, an array of events or an object by type");
        }
        return new SecretStorageAccountData(byType);
    }

    private static void readEvents(JsonNode events, Map<String, JsonNode> byType) {
        int i = 0;
        for (JsonNode event : events) {
            String where = "account data event #" + i++;
            requireObject(event, where);
            JsonNode type = event.get("type");
            if (type == null || !type.isTextual()) {
                throw new PanolmException(Status.BAD_EVENT, where + " has no string 'type'");
            }
            byType.put(type.asText(), requireObject(event.get("content"), where + " (" + type.asText() + ") content"));
        }
    }

    private static JsonNode requireObject(JsonNode node, String what) {
        if (node == null || !node.isObject()) {
            throw new PanolmException(Status.BAD_EVENT, what + " is not a JSON object");
        }
        return node;
    }

    /**
     * The account-data event types present.
     *
     * @return the event types
     */
    public Set<String> eventTypes() {
        return contentByType.keySet();
    }

    /**
     * The id in {@code m.secret_storage.default_key}, if set.
     *
     * @return the key id, or empty
     */
    public Optional<String> defaultKeyId() {
        JsonNode content = contentByType.get(DefaultKeyContent.EVENT_TYPE);
        if (content == null || content.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(convert(content, DefaultKeyContent.class, DefaultKeyContent.EVENT_TYPE).key())
                .filter(k -> !k.isEmpty());
    }

    /**
     * The description of the key {@code keyId}.
     *
     * @param keyId the key's id
     * @return the description, or empty when there is none
     */
    public Optional<SecretStorageKeyDescription> keyDescription(String keyId) {
        String type = SecretStorageKeyDescription.EVENT_TYPE_PREFIX + keyId;
        JsonNode content = contentByType.get(type);
        return content == null ? Optional.empty()
                : Optional.of(convert(content, SecretStorageKeyDescription.class, type));
    }

    /**
     * The default key id and its description. @throws PanolmException UNKNOWN_SESSION when either is missing
     *
     * @return the key id and its description
     */
    public Map.Entry<String, SecretStorageKeyDescription> defaultKey() {
        String id = defaultKeyId().orElseThrow(() -> new PanolmException(Status.UNKNOWN_SESSION,
                "account data has no " + DefaultKeyContent.EVENT_TYPE));
        SecretStorageKeyDescription d = keyDescription(id).orElseThrow(() -> new PanolmException(
                Status.UNKNOWN_SESSION, "account data has no " + SecretStorageKeyDescription.EVENT_TYPE_PREFIX + id));
        return Map.entry(id, d);
    }

    /**
     * The stored secret {@code name} (empty when absent or removed, i.e. no key encrypts it).
     *
     * @param name the secret's name
     * @return the encrypted secret, or empty
     */
    public Optional<EncryptedSecretContent> secret(String name) {
        JsonNode content = contentByType.get(name);
        if (content == null) {
            return Optional.empty();
        }
        EncryptedSecretContent secret = convert(content, EncryptedSecretContent.class, name);
        return secret.encrypted().isEmpty() ? Optional.empty() : Optional.of(secret);
    }

    /**
     * Decrypts secret {@code name} with {@code key}, which must be the key {@code keyId}: checked against the
     * key description first, so a wrong key is reported as such rather than as a damaged secret.
     *
     * @param name the secret's name
     * @param keyId the key's id
     * @param key the key
     * @return the plaintext; the caller wipes it
     */
    public byte[] decryptSecret(String name, String keyId, SecretStorageKey key) {
        keyDescription(keyId).orElseThrow(() -> new PanolmException(Status.UNKNOWN_SESSION,
                "account data has no " + SecretStorageKeyDescription.EVENT_TYPE_PREFIX + keyId))
                .requireMatches(key, keyId);
        EncryptedSecret encrypted = secret(name).flatMap(s -> s.forKey(keyId)).orElseThrow(() -> new PanolmException(
                Status.UNKNOWN_SESSION, "secret " + name + " is not stored under key " + keyId));
        return SecretStorage.decrypt(key, name, encrypted);
    }

    private static <T> T convert(JsonNode content, Class<T> type, String eventType) {
        try {
            return JSON.treeToValue(content, type);
        } catch (JsonProcessingException e) {
            throw new PanolmException(Status.BAD_EVENT, eventType + " content: " + SafeJson.describe(e));
        }
    }
}
