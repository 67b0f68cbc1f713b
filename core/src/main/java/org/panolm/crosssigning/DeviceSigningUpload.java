package org.panolm.crosssigning;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.panolm.internal.json.CanonicalTree;

/**
 * The body of {@code POST /_matrix/client/v3/keys/device_signing/upload}: the three signed public key objects.
 * (The server may ask for user-interactive {@code auth} as well; the caller adds it.)
 *
 * @param masterKey the master key object
 * @param selfSigningKey the self-signing key object, signed by the master key
 * @param userSigningKey the user-signing key object, signed by the master key
 */
public record DeviceSigningUpload(CrossSigningKey masterKey, CrossSigningKey selfSigningKey, CrossSigningKey userSigningKey) {
    /**
     * The request body.
     *
     * @return the JSON body, as text
     */
    public String toJson() {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.set("master_key", CanonicalTree.parse(masterKey.json()));
        body.set("self_signing_key", CanonicalTree.parse(selfSigningKey.json()));
        body.set("user_signing_key", CanonicalTree.parse(userSigningKey.json()));
        return body.toString();
    }
}
