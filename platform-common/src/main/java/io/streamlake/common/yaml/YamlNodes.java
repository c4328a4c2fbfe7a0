package io.streamlake.common.yaml;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.Reader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads a YAML definitions file as nodes, so every problem is reported as {@code file:line: problem}: malformed
 * YAML, a missing or unknown key, a value of the wrong shape. Shared by the feature registry and the data-quality
 * suites; each passes the exception type its users catch.
 */
public final class YamlNodes {

    private final String file;
    private final Function<String, ? extends RuntimeException> exception;

    public YamlNodes(String file, Function<String, ? extends RuntimeException> exception) {
        this.file = file;
        this.exception = exception;
    }

    /** The document's root node; malformed YAML and an empty file are errors. */
    public Node root(Reader reader) {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            throw exception.apply(file + ":" + (e.getProblemMark().getLine() + 1) + ": malformed YAML: " + e.getProblem());
        }
        if (root == null) {
            throw exception.apply(file + ": the file is empty");
        }
        return root;
    }

    public String scalar(Node node, String what) {
        if (!(node instanceof ScalarNode s)) {
            throw error(node, "expected " + what + " (a plain value)");
        }
        return s.getValue();
    }

    /** A scalar, or "" when absent. */
    public String text(Node node) {
        return node == null ? "" : scalar(node, "text");
    }

    public List<Node> sequence(Node node, String what) {
        if (!(node instanceof SequenceNode s)) {
            throw error(node, "expected a list of " + what);
        }
        return s.getValue();
    }

    /** The mapping's entries by key; keys outside {@code allowed} and duplicate keys are errors. */
    public Map<String, Node> mapping(Node node, String what, Set<String> allowed) {
        if (!(node instanceof MappingNode m)) {
            throw error(node, "expected " + what + " (a mapping)");
        }
        Map<String, Node> result = new LinkedHashMap<>();
        for (NodeTuple t : m.getValue()) {
            String key = scalar(t.getKeyNode(), "a key");
            if (!allowed.contains(key)) {
                throw error(t.getKeyNode(), "unknown key '" + key + "' in " + what + " (allowed: " + allowed + ")");
            }
            if (result.put(key, t.getValueNode()) != null) {
                throw error(t.getKeyNode(), "duplicate key '" + key + "'");
            }
        }
        return result;
    }

    public Node required(Map<String, Node> map, String key, Node owner) {
        Node n = map.get(key);
        if (n == null) {
            throw error(owner, "missing '" + key + "'");
        }
        return n;
    }

    /** The line (1-based) a node starts on. */
    public static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    public RuntimeException error(Node node, String message) {
        return exception.apply(file + ":" + line(node) + ": " + message);
    }
}
