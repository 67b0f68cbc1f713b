package org.panolm.engine;

/** What an {@link OutgoingRequest} asks the homeserver to do, with the endpoint it goes to. */
public enum RequestType {
    /** {@code POST /_matrix/client/v3/keys/upload}: our device keys, one-time keys and fallback key. */
    KEYS_UPLOAD("POST", "/_matrix/client/v3/keys/upload"),
    /** {@code POST /_matrix/client/v3/keys/query}: the devices and cross-signing keys of users we track. */
    KEYS_QUERY("POST", "/_matrix/client/v3/keys/query"),
    /** {@code POST /_matrix/client/v3/keys/claim}: one-time keys of devices we have no Olm session with. */
    KEYS_CLAIM("POST", "/_matrix/client/v3/keys/claim"),
    /** {@code PUT /_matrix/client/v3/sendToDevice/{eventType}/{txnId}}: to-device messages. */
    TO_DEVICE("PUT", "/_matrix/client/v3/sendToDevice/{eventType}/{txnId}"),
    /** {@code POST /_matrix/client/v3/keys/device_signing/upload}: our cross-signing public keys (with UIA auth). */
    SIGNING_KEYS_UPLOAD("POST", "/_matrix/client/v3/keys/device_signing/upload"),
    /** {@code POST /_matrix/client/v3/keys/signatures/upload}: our signatures of devices and master keys. */
    SIGNATURES_UPLOAD("POST", "/_matrix/client/v3/keys/signatures/upload");

    private final String method;
    private final String pathTemplate;

    RequestType(String method, String pathTemplate) {
        this.method = method;
        this.pathTemplate = pathTemplate;
    }

    /**
     * The HTTP method.
     *
     * @return {@code POST} or {@code PUT}
     */
    public String method() {
        return method;
    }

    /**
     * The endpoint's path template, as the spec writes it.
     *
     * @return the template
     */
    public String pathTemplate() {
        return pathTemplate;
    }
}
