package org.panolm.testkit.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One operation of the Matrix Client-Server API as its OpenAPI file declares it: a method on a path template
 * such as {@code /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}}.
 *
 * @param file the vendored OpenAPI file, relative to the specification's {@code data/} folder
 * @param method the upper-case HTTP method
 * @param template the full path template, base path included
 * @param pointer the JSON pointer of the operation object inside {@code file}
 * @param operationId the spec's {@code operationId}
 */
public record Operation(String file, String method, String template, String pointer, String operationId) {

    /** The template's segments, split on {@code /} ({@code {name}} stands for a parameter). */
    List<String> segments() {
        return List.of(template.substring(1).split("/", -1));
    }

    /**
     * Matches a request path (already split, each segment percent-decoded) against this template.
     *
     * @return the path parameters by name, or {@code null} when the path does not match
     */
    Map<String, String> match(List<String> path) {
        List<String> segments = segments();
        if (segments.size() != path.size()) {
            return null;
        }
        var params = new LinkedHashMap<String, String>();
        for (int i = 0; i < segments.size(); i++) {
            String s = segments.get(i);
            if (s.startsWith("{") && s.endsWith("}")) {
                params.put(s.substring(1, s.length() - 1), path.get(i));
            } else if (!s.equals(path.get(i))) {
                return null;
            }
        }
        return params;
    }

    /** How specific the template is: literal segments count, so {@code /keys/changes} wins over {@code /keys/{x}}. */
    int literalSegments() {
        return (int) segments().stream().filter(s -> !s.startsWith("{")).count();
    }
}
