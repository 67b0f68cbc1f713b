package org.panolm.client.backup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.panolm.client.HomeserverClient;
import org.panolm.client.MatrixApiException;
import org.panolm.ssss.DefaultKeyContent;
import org.panolm.ssss.SecretName;
import org.panolm.ssss.SecretStorageAccountData;
import org.panolm.ssss.SecretStorageKeyDescription;
import org.panolm.client.internal.ClientJson;

/** The user's global account data on the homeserver, as far as secret storage needs it. */
final class AccountData {
    private final HomeserverClient client;

    AccountData(HomeserverClient client) {
        this.client = client;
    }

    private String path(String type) {
        return "/_matrix/client/v3/user/" + HomeserverClient.segment(client.requireCredentials().userId())
                + "/account_data/" + HomeserverClient.segment(type);
    }

    void put(String type, Object content) {
        client.put(path(type), content, JsonNode.class);
    }

    Optional<JsonNode> get(String type) {
        try {
            return Optional.of(client.get(path(type), JsonNode.class));
        } catch (MatrixApiException e) {
            if (e.status() == 404) return Optional.empty();
            throw e;
        }
    }

    /** The default key, its description and the well-known secrets, in core's form. */
    SecretStorageAccountData secretStorage() {
        Map<String, JsonNode> byType = new LinkedHashMap<>();
        Optional<JsonNode> def = get(DefaultKeyContent.EVENT_TYPE);
        def.ifPresent(d -> byType.put(DefaultKeyContent.EVENT_TYPE, d));
        String keyId = def.map(d -> d.path("key").asText(null)).orElse(null);
        if (keyId != null) {
            String type = SecretStorageKeyDescription.EVENT_TYPE_PREFIX + keyId;
            get(type).ifPresent(d -> byType.put(type, d));
        }
        for (String name : SecretName.WELL_KNOWN) get(name).ifPresent(s -> byType.put(name, s));
        ObjectNode root = ClientJson.MAPPER.createObjectNode();
        byType.forEach(root::set);
        return SecretStorageAccountData.parse(root.toString());
    }
}
