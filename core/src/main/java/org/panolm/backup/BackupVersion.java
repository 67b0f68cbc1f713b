package org.panolm.backup;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import org.panolm.PanolmException;
import org.panolm.Status;

/**
 * A backup version: the body of {@code POST /room_keys/version} ({@code algorithm}, {@code auth_data}) and
 * the response of {@code GET /room_keys/version[/V]}, which adds {@code version}, {@code count} and
 * {@code etag}. Fields absent from a request are null.
 *
 * @param algorithm the backup algorithm
 * @param authData the algorithm's parameters: the public key and signatures
 * @param version the version, as the server names it (null in a create request)
 * @param count the number of keys stored (responses only)
 * @param etag the server's etag of the keys (responses only)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BackupVersion(
        @JsonProperty("algorithm") String algorithm,
        @JsonProperty("auth_data") BackupAuthData authData,
        @JsonProperty("version") String version,
        @JsonProperty("count") Long count,
        @JsonProperty("etag") String etag) {

    /** The only backup algorithm in the spec (legacy: see the package documentation). */
    public static final String MEGOLM_BACKUP_V1 = "m.megolm_backup.v1.curve25519-aes-sha2";

    /**
     * The body that creates a new version for {@code authData}.
     *
     * @param authData the new backup's auth data
     * @return the request body
     */
    public static BackupVersion create(BackupAuthData authData) {
        return new BackupVersion(MEGOLM_BACKUP_V1, authData, null, null, null);
    }

    /**
     * Checks the algorithm and returns the backup's public key.
     *
     * @return the public key
     */
    public BackupPublicKey publicKey() {
        if (!MEGOLM_BACKUP_V1.equals(algorithm)) {
            throw new PanolmException(Status.BAD_VERSION, "backup version " + version + " uses algorithm "
                    + algorithm + ", not " + MEGOLM_BACKUP_V1);
        }
        if (authData == null) {
            throw new PanolmException(Status.BAD_EVENT, "backup version " + version + " has no auth_data");
        }
        return authData.backupPublicKey();
    }

    /**
     * Parses a version (a request body or a server's response).
     *
     * @param json the JSON
     * @return the version
     */
    public static BackupVersion fromJson(byte[] json) {
        try {
            return BackupJson.MAPPER.readValue(json, BackupVersion.class);
        } catch (IOException e) {
            // No cause: Jackson's messages quote the input.
            throw new PanolmException(Status.BAD_EVENT, "backup version is not valid JSON of the expected shape ("
                    + BackupJson.describe(e) + ")");
        }
    }

    /**
     * The version as JSON.
     *
     * @return the JSON, UTF-8
     */
    public byte[] toJson() {
        try {
            return BackupJson.MAPPER.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
