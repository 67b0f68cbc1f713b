package org.panolm.testkit.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.panolm.testkit.Faults;
import org.panolm.testkit.spec.Operation;
import org.panolm.testkit.spec.SpecValidator;
import org.panolm.testkit.SpecViolation;
import org.panolm.testkit.SpecViolation.Direction;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every request passes here: injected faults first, then the operation the Matrix spec declares for the path and
 * method (routing is by the spec's {@code operationId}, so the server serves nothing the spec does not define),
 * the request body checked against the spec, the endpoint, and the response body checked against the spec.
 * A response that fails its schema is sent anyway and reported as a {@link SpecViolation}; so is an endpoint that
 * threw (a 500 is always a server bug here).
 */
public final class MatrixHandler extends Handler.Abstract {
    /** The test-control endpoints, outside the Matrix API. */
    public static final String ADMIN_PREFIX = "/_testkit/";

    /** Endpoints by the spec's operation id. */
    @FunctionalInterface
    public interface Routes {
        /** Handles the call, or returns {@code null} when this server does not implement the operation. */
        Reply route(String operationId, Call call);
    }

    private final SpecValidator spec = SpecValidator.get();
    private final Faults faults;
    private final Routes routes;
    private final Routes admin;
    private final Consumer<SpecViolation> violations;
    private final Consumer<SpecViolation> rejected;
    private final long maxBody;
    private volatile boolean validateResponses = true;

    /**
     * @param violations told of every response that fails the spec and every server error
     * @param rejected told of every request body the spec rejects (the client's mistake)
     */
    public MatrixHandler(Faults faults, Routes routes, Routes admin, Consumer<SpecViolation> violations,
            Consumer<SpecViolation> rejected, long maxBody) {
        this.faults = faults;
        this.routes = routes;
        this.admin = admin;
        this.violations = violations;
        this.rejected = rejected;
        this.maxBody = maxBody;
    }

    /** Response validation costs time on very large bodies (a benchmark may switch it off). */
    public void validateResponses(boolean on) {
        this.validateResponses = on;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String method = request.getMethod();
        String path = request.getHttpURI().getPath();
        try {
            Reply reply = serve(request, method, path, response, callback);
            if (reply != null) {
                write(response, callback, reply);
            }
        } catch (Throwable t) {
            callback.failed(t);
        }
        return true;
    }

    private Reply serve(Request request, String method, String path, Response response, Callback callback)
            throws IOException, InterruptedException {
        String token = accessToken(request);
        Map<String, List<String>> query = query(request);
        if (path.startsWith(ADMIN_PREFIX)) {
            return handleAdmin(request, method, path, query);
        }
        Faults.Fault fault = faults.decide(method, path,
                token != null ? token : Request.getRemoteAddr(request));
        if (fault != null) {
            switch (fault.kind()) {
                case DROP -> {
                    request.getConnectionMetaData().getConnection().getEndPoint().close();
                    callback.failed(new IOException("connection dropped by an injected fault"));
                    return null;
                }
                case DELAY -> Thread.sleep(fault.millis());
                case RATE_LIMIT -> {
                    ObjectNode extra = Json.object().put("retry_after_ms", fault.millis());
                    response.getHeaders().put(HttpHeader.RETRY_AFTER, Long.toString((fault.millis() + 999) / 1000));
                    return errorReply(method, path, null,
                            new MatrixError(429, "M_LIMIT_EXCEEDED", "too many requests", extra));
                }
                case ERROR -> {
                    return errorReply(method, path, null,
                            new MatrixError(fault.status(), "M_UNKNOWN", "injected server fault"));
                }
            }
        }
        List<String> segments = segments(path);
        Optional<SpecValidator.Match> match = spec.find(method, segments);
        if (match.isEmpty()) {
            MatrixError e = spec.knowsPath(segments)
                    ? new MatrixError(405, "M_UNRECOGNIZED", "method " + method + " is not allowed here")
                    : MatrixError.unrecognized("unrecognised request " + method + " " + path);
            return Reply.of(e.status(), e.body());
        }
        var op = match.get().operation();
        Call call;
        try {
            byte[] body = readBody(request);
            String contentType = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
            JsonNode json = null;
            if (body.length > 0 && isJson(contentType, body)) {
                json = Json.parse(body);
                SpecValidator.Result r = spec.validateRequest(op, json);
                if (!r.valid()) {
                    rejected.accept(new SpecViolation(Direction.REQUEST, method, path, 0, r.schema(), r.errors()));
                    throw MatrixError.badJson("the body does not match the spec (" + r.schema() + "): "
                            + String.join("; ", r.errors()));
                }
            }
            call = new Call(method, path, match.get().pathParams(), query, token, contentType, body, json);
        } catch (MatrixError e) {
            return errorReply(method, path, op, e);
        }
        Reply reply;
        try {
            reply = routes.route(op.operationId(), call);
            if (reply == null) {
                reply = Reply.of(404, MatrixError.unrecognized("this test homeserver does not implement "
                        + op.operationId()).body());
            }
        } catch (MatrixError e) {
            reply = Reply.of(e.status(), e.body());
        } catch (RuntimeException e) {
            violations.accept(new SpecViolation(Direction.RESPONSE, method, path, 500, op.file(),
                    List.of("the endpoint threw " + e)));
            reply = Reply.of(500, new MatrixError(500, "M_UNKNOWN", "internal error: " + e).body());
        }
        if (reply.json() != null && validateResponses) {
            SpecValidator.Result r = spec.validateResponse(op, reply.status(), reply.json());
            if (!r.valid()) {
                violations.accept(new SpecViolation(Direction.RESPONSE, method, path, reply.status(), r.schema(),
                        r.errors()));
            }
        }
        return reply;
    }

    private Reply errorReply(String method, String path, Operation op, MatrixError e) {
        Reply reply = Reply.of(e.status(), e.body());
        if (op != null && validateResponses) {
            SpecValidator.Result r = spec.validateResponse(op, e.status(), reply.json());
            if (!r.valid()) {
                violations.accept(new SpecViolation(Direction.RESPONSE, method, path, e.status(), r.schema(),
                        r.errors()));
            }
        }
        return reply;
    }

    private Reply handleAdmin(Request request, String method, String path, Map<String, List<String>> query)
            throws IOException {
        try {
            byte[] body = readBody(request);
            JsonNode json = body.length == 0 ? null : Json.parse(body);
            Reply r = admin.route(method + " " + path.substring(ADMIN_PREFIX.length()),
                    new Call(method, path, Map.of(), query, null, null, body, json));
            return r != null ? r : Reply.of(404, MatrixError.unrecognized("no such test-control endpoint").body());
        } catch (MatrixError e) {
            return Reply.of(e.status(), e.body());
        } catch (RuntimeException e) {
            return Reply.of(400, MatrixError.badJson(e.toString()).body());
        }
    }

    private byte[] readBody(Request request) throws IOException {
        long declared = request.getLength();
        if (declared > maxBody) {
            throw new MatrixError(413, "M_TOO_LARGE", "the body is larger than " + maxBody + " bytes");
        }
        try (InputStream in = Request.asInputStream(request)) {
            byte[] body = in.readNBytes((int) Math.min(maxBody + 1, Integer.MAX_VALUE - 8));
            if (body.length > maxBody) {
                throw new MatrixError(413, "M_TOO_LARGE", "the body is larger than " + maxBody + " bytes");
            }
            return body;
        }
    }

    private static boolean isJson(String contentType, byte[] body) {
        if (contentType == null) {
            return body.length > 0 && (body[0] == '{' || body[0] == '[');
        }
        return contentType.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    private static String accessToken(Request request) {
        String auth = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return auth.substring(7).trim();
        }
        Fields q = Request.extractQueryParameters(request);
        return q.getValue("access_token");
    }

    private static Map<String, List<String>> query(Request request) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Fields.Field f : Request.extractQueryParameters(request)) {
            out.put(f.getName(), f.getValues());
        }
        return out;
    }

    /** The path's segments, each percent-decoded ({@code +} stays a plus: this is a path, not a form). */
    static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.substring(1).split("/", -1)) {
            out.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void write(Response response, Callback callback, Reply reply) throws IOException {
        response.setStatus(reply.status());
        if (reply.json() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
            // Generated straight into the connection: no copy of a large body (see ResponseBody).
            ResponseBody out = new ResponseBody(response);
            Json.MAPPER.writeValue(out, reply.json());
            out.finish();
            callback.succeeded();
            return;
        }
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
        if (reply.disposition() != null) {
            response.getHeaders().put(HttpHeader.CONTENT_DISPOSITION, reply.disposition());
        }
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.write(true, ByteBuffer.wrap(reply.raw()), callback);
    }
}
