package org.panolm.testing;

import static org.panolm.testing.Trees.tree;

import com.fasterxml.jackson.databind.JsonNode;

import org.panolm.internal.json.CanonicalTree;

/** Tests inspect JSON the API hands out as text by reading it into a tree. */
public final class Trees {
    private Trees() {}

    /**
     * Parses JSON text (strictly, as panolm parses input).
     *
     * @param json the text
     * @param <T> the node type the test expects (an object, usually)
     * @return the tree
     */
    @SuppressWarnings("unchecked")
    public static <T extends JsonNode> T tree(String json) {
        return (T) CanonicalTree.parse(json);
    }
}
