package org.panolm.testkit.server;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.panolm.testkit.http.Call;
import org.panolm.testkit.http.Json;
import org.panolm.testkit.http.MatrixError;
import org.panolm.testkit.http.Reply;

/**
 * The content repository: {@code POST /_matrix/media/v3/upload} and the authenticated download
 * {@code GET /_matrix/client/v1/media/download/...} (the unauthenticated v3 download is frozen by the spec and not
 * served).
 */
final class Media {
    static final long MAX_UPLOAD = 100L * 1024 * 1024;

    private final Homeserver hs;

    Media(Homeserver hs) {
        this.hs = hs;
    }

    void register(Map<String, Homeserver.Endpoint> e) {
        e.put("uploadContent", this::upload);
        e.put("getContentAuthed", c -> download(c, null));
        e.put("getContentOverrideNameAuthed", c -> download(c, c.param("fileName")));
        Homeserver.Endpoint config = c -> {
            hs.auth(c);
            return Reply.ok(Json.object().put("m.upload.size", MAX_UPLOAD));
        };
        e.put("getConfigAuthed", config);
        e.put("getConfig", config);
    }

    private Reply upload(Call c) {
        Homeserver.Caller me = hs.auth(c);
        String id = hs.randomId(24);
        State.Media m = new State.Media();
        m.mediaId = id;
        m.contentType = c.contentType() == null ? "application/octet-stream" : c.contentType();
        m.fileName = c.query("filename");
        m.uploader = me.userId();
        m.size = c.raw().length;
        hs.mediaStore.put(id, c.raw());
        hs.state.media.put(id, m);
        return Reply.ok(Json.object().put("content_uri", "mxc://" + hs.serverName() + "/" + id));
    }

    private Reply download(Call c, String overrideName) {
        hs.auth(c);
        State.Media m = c.param("serverName").equals(hs.serverName()) ? hs.state.media.get(c.param("mediaId")) : null;
        byte[] bytes = m == null ? null : hs.mediaStore.get(m.mediaId);
        if (bytes == null) {
            throw MatrixError.notFound("no such media");
        }
        String name = overrideName != null ? overrideName : m.fileName;
        String disposition = name == null ? "attachment"
                : "attachment; filename*=UTF-8''" + URLEncoder.encode(name,
                        StandardCharsets.UTF_8).replace("+", "%20");
        return Reply.bytes(bytes, m.contentType, disposition);
    }
}
