package org.panolm.engine;

/**
 * The body of an outgoing request: a record that serialises (with Jackson) to exactly the JSON the spec gives for
 * its endpoint. {@link OutgoingRequest#bodyJson()} gives that JSON.
 */
public sealed interface RequestBody permits KeysUploadRequest, KeysQueryRequest, KeysClaimRequest, ToDeviceRequest,
        SigningKeysUploadRequest, SignaturesUploadRequest {
    /**
     * The request type this body belongs to.
     *
     * @return the type
     */
    RequestType type();
}
