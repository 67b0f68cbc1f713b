package org.panolm.testkit.spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The Matrix specification's OpenAPI files, vendored under {@code org/panolm/testkit/spec} (see its
 * {@code SOURCE.md}): finds the operation a request is for and validates request and response bodies against the
 * schemas the spec gives for that path, method and status, with every {@code $ref} resolved across the files.
 * Thread-safe; schemas are loaded once, on first use.
 */
public final class SpecValidator {
    private static final String ROOT = "org/panolm/testkit/spec/";
    /** The OpenAPI files of the endpoints the test homeserver serves. */
    static final List<String> API_FILES = List.of("versions", "registration", "login", "whoami", "logout",
            "create_room", "inviting", "joining", "leaving", "room_send", "room_state", "message_pagination", "rooms",
            "list_joined_rooms", "sync", "keys", "cross_signing", "to_device", "account-data", "device_management",
            "pushrules", "filter", "content-repo", "authed-content-repo", "key_backup", "capabilities", "profile");
    private static final String ERROR = "api/client-server/definitions/errors/error.yaml";
    private static final String STATE_EVENT = "event-schemas/schema/core-event-schema/state_event.yaml";
    private static final String AUTH_RESPONSE = "api/client-server/definitions/auth_response.yaml";
    private static final String RATE_LIMITED = "api/client-server/definitions/errors/rate_limited.yaml";
    private static final String[] HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options"};

    private static final SpecValidator INSTANCE = new SpecValidator();

    private final List<Operation> operations;
    /** OpenAPI 3.1 for the API files; the event schemas declare JSON Schema 2020-12 themselves. */
    private final SchemaRegistry registry = SchemaRegistry.builder(
                    SchemaRegistry.withDialects(List.of(Dialects.getOpenApi31(), Dialects.getDraft202012())))
            .defaultDialectId(Dialects.getOpenApi31().getId())
            .build();
    private final Map<String, Optional<Schema>> schemas = new ConcurrentHashMap<>();
    private final Map<String, JsonNode> documents = new ConcurrentHashMap<>();

    private SpecValidator() {
        List<Operation> ops = new ArrayList<>();
        for (String name : API_FILES) {
            String file = "api/client-server/" + name + ".yaml";
            JsonNode doc = document(file);
            String base = doc.path("servers").path(0).path("variables").path("basePath").path("default").asString();
            for (Map.Entry<String, JsonNode> path : doc.path("paths").properties()) {
                if (path.getKey().endsWith("/requestToken")) {
                    continue; // refers to the identity-service API, which is not vendored (see SOURCE.md)
                }
                for (String m : HTTP_METHODS) {
                    JsonNode op = path.getValue().get(m);
                    if (op != null) {
                        // strip(): one upstream path key ends in a stray space ("/rooms/{roomId}/invite ").
                        ops.add(new Operation(file, m.toUpperCase(Locale.ROOT), base + path.getKey().strip(),
                                "/paths/" + escape(path.getKey()) + "/" + m, op.path("operationId").asString()));
                    }
                }
            }
        }
        // The most literal template first: /keys/changes before /keys/{anything}.
        ops.sort(Comparator.comparingInt(Operation::literalSegments).reversed());
        this.operations = List.copyOf(ops);
    }

    /** The one validator: the files are the same for every server. */
    public static SpecValidator get() {
        return INSTANCE;
    }

    /** Every operation of the vendored files. */
    public List<Operation> operations() {
        return operations;
    }

    /** The operation for this method and decoded path segments, with its path parameters. */
    public Optional<Match> find(String method, List<String> path) {
        for (Operation op : operations) {
            if (op.method().equals(method)) {
                Map<String, String> params = op.match(path);
                if (params != null) {
                    return Optional.of(new Match(op, params));
                }
            }
        }
        return Optional.empty();
    }

    /** Whether any operation has this path, whatever its method (to tell 404 from 405). */
    public boolean knowsPath(List<String> path) {
        return operations.stream().anyMatch(op -> op.match(path) != null);
    }

    /** An operation matched to a request, with the request's path parameters. */
    public record Match(Operation operation, Map<String, String> pathParams) {}

    /**
     * Validates a request body against the operation's {@code requestBody} JSON schema.
     *
     * @return the errors; empty when the body is valid or the spec gives no JSON schema for it
     */
    public Result validateRequest(Operation op, JsonNode body) {
        String pointer = op.pointer() + "/requestBody/content/application~1json/schema";
        return validate(op.file(), pointer, body);
    }

    /**
     * Validates a response body against the schema the operation gives for this status. A status the operation
     * does not list is checked against the spec's generic error body (or the rate-limit body for 429) when it is
     * an error, and is itself a violation when it is a success.
     */
    public Result validateResponse(Operation op, int status, JsonNode body) {
        String responses = op.pointer() + "/responses/";
        if (status == 200 && op.operationId().equals("getRoomStateWithKey") && body.has("event_id")) {
            // Upstream says oneOf [any object, a state event]: a whole event (?format=event) matches both, so the
            // oneOf can never pass for it. Check the branch the body claims to be.
            return validate(STATE_EVENT, "", body);
        }
        JsonNode listed = document(op.file()).at(responses + status);
        if (!listed.isMissingNode()) {
            return validate(op.file(), responses + status + "/content/application~1json/schema", body);
        }
        if (status == 401 && body.has("flows")) {
            // A user-interactive-auth challenge: the spec's UIA section defines this body for every endpoint that
            // uses UIA, whether or not the endpoint lists the 401 itself (device_signing/upload does not).
            return validate(AUTH_RESPONSE, "", body);
        }
        if (status >= 400) {
            return validate(status == 429 ? RATE_LIMITED : ERROR, "", body);
        }
        return new Result(op.file() + "#" + responses, List.of("status " + status + " is not a response the spec "
                + "lists for " + op.method() + " " + op.template()));
    }

    /** Validates an event's content against {@code event-schemas/schema/<type>.yaml}, when it is vendored. */
    public Result validateEventContent(String type, JsonNode content) {
        String file = "event-schemas/schema/" + type + ".yaml";
        if (SpecValidator.class.getClassLoader().getResource(ROOT + file) == null) {
            return new Result(file, List.of());
        }
        return validate(file, "/properties/content", content);
    }

    /** The outcome of one validation: where the schema is and what failed (empty: valid). */
    public record Result(String schema, List<String> errors) {
        public boolean valid() {
            return errors.isEmpty();
        }
    }

    /** Validates a value against the schema at {@code pointer} in a vendored file (any JSON, for tests). */
    public Result validate(String file, String pointer, JsonNode value) {
        String where = file + "#" + pointer;
        if (!pointer.isEmpty() && document(file).at(pointer).isMissingNode()) {
            return new Result(where, List.of());
        }
        Optional<Schema> schema = schemas.computeIfAbsent(where, w -> Optional.of(
                registry.getSchema(SchemaLocation.of("classpath:" + ROOT + file + "#" + pointer))));
        List<Error> errors = schema.orElseThrow().validate(value);
        return new Result(where, errors.stream().map(Error::toString).toList());
    }

    private JsonNode document(String file) {
        return documents.computeIfAbsent(file, f -> {
            try (InputStream in = SpecValidator.class.getClassLoader().getResourceAsStream(ROOT + f)) {
                if (in == null) {
                    throw new IllegalStateException("missing vendored spec file " + f);
                }
                return new YAMLMapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String escape(String pointerToken) {
        return pointerToken.replace("~", "~0").replace("/", "~1");
    }
}
