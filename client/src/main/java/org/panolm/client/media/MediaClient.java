package org.panolm.client.media;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;
import org.panolm.client.HomeserverClient;
import org.panolm.client.MatrixApiException;

/**
 * Media over a logged-in {@link HomeserverClient}: upload ({@code POST /_matrix/media/v3/upload}) and
 * authenticated download ({@code GET /_matrix/client/v1/media/download/{server}/{id}}), plain or encrypted as
 * an {@link EncryptedFile}. Files are streamed from and to disk: memory does not grow with their size.
 */
public final class MediaClient {
    private final HomeserverClient client;

    /**
     * Media for {@code client}'s user.
     *
     * @param client the logged-in client
     */
    public MediaClient(HomeserverClient client) {
        this.client = client;
    }

    /**
     * Uploads a file as it is.
     *
     * @param file the file
     * @param contentType its content type
     * @param fileName the name to store with it, or null
     * @return the {@code mxc://} URI
     */
    public String upload(Path file, String contentType, @Nullable String fileName) {
        String path = "/_matrix/media/v3/upload" + (fileName == null ? "" : "?filename=" + HomeserverClient.segment(fileName));
        HttpRequest.BodyPublisher body;
        try {
            body = HttpRequest.BodyPublishers.ofFile(file);
        } catch (java.io.FileNotFoundException e) {
            throw new UncheckedIOException("no file to upload", e);
        }
        JsonNode r = client.sendRaw("POST", path, body, contentType, JsonNode.class);
        String uri = r.path("content_uri").asText(null);
        if (uri == null || !uri.startsWith("mxc://")) {
            throw MatrixApiException.badResponse("POST /_matrix/media/v3/upload", 200, "content_uri is not an mxc URI");
        }
        return uri;
    }

    /**
     * Downloads a file as a stream; the caller closes it.
     *
     * @param mxc the {@code mxc://server/id} URI
     * @return the body
     */
    public InputStream download(String mxc) {
        String[] parts = parse(mxc);
        return client.getStream("/_matrix/client/v1/media/download/" + HomeserverClient.segment(parts[0]) + "/"
                + HomeserverClient.segment(parts[1]));
    }

    /**
     * Encrypts a file (into an owner-only temporary file, deleted afterwards) and uploads the ciphertext.
     *
     * @param plaintext the file
     * @return the {@code EncryptedFile} to put in the (encrypted) event, with its URL
     */
    public EncryptedFile uploadEncrypted(Path plaintext) {
        Path temp = null;
        try {
            temp = Files.createTempFile(".panolm-upload-", ".enc",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            EncryptedFile file;
            try (InputStream in = Files.newInputStream(plaintext); OutputStream out = Files.newOutputStream(temp)) {
                file = AttachmentCipher.encrypt(in, out);
            }
            // The server sees only ciphertext: no type, no name.
            return file.withUrl(upload(temp, "application/octet-stream", null));
        } catch (IOException e) {
            throw new UncheckedIOException("encrypting the attachment failed", e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // The ciphertext only.
                }
            }
        }
    }

    /**
     * Downloads and decrypts an encrypted file into {@code target}, which appears only if the hash matched.
     *
     * @param file the {@code EncryptedFile} from the event
     * @param target where the plaintext goes
     */
    public void downloadDecrypted(EncryptedFile file, Path target) {
        if (file.url() == null) throw AttachmentException.field("url", "is missing");
        try (InputStream in = download(file.url())) {
            AttachmentCipher.decrypt(file, in, target);
        } catch (IOException e) {
            throw new UncheckedIOException("downloading the attachment failed", e);
        }
    }

    private static String[] parse(String mxc) {
        if (mxc == null || !mxc.startsWith("mxc://")) throw AttachmentException.field("url", "is not an mxc:// URI");
        String rest = mxc.substring("mxc://".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
            throw AttachmentException.field("url", "is not mxc://server/id");
        }
        return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
    }
}
