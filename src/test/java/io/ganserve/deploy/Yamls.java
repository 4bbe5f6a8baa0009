package io.ganserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** SnakeYAML, safe constructor only, with the casts a test of nested maps keeps needing. */
final class Yamls {

    private Yamls() {}

    /** Every document in the file (Kubernetes files may hold several, separated by ---). */
    static List<Object> all(Path file) {
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        try (Reader reader = Files.newBufferedReader(file)) {
            List<Object> docs = new ArrayList<>();
            for (Object doc : yaml.loadAll(reader)) {
                if (doc != null) {
                    docs.add(doc);
                }
            }
            return docs;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file's only document, which must be a mapping. */
    static Map<String, Object> single(Path file) {
        List<Object> docs = all(file);
        assertThat(docs).as(file.toString()).hasSize(1);
        return asMap(docs.get(0), file.toString());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object node, String what) {
        assertThat(node).as(what + " is a mapping").isInstanceOf(Map.class);
        return (Map<String, Object>) node;
    }

    /** A nested mapping by path of keys; fails the test when one is missing. */
    static Map<String, Object> map(Map<String, Object> node, String... keys) {
        Object current = node;
        StringBuilder path = new StringBuilder();
        for (String key : keys) {
            path.append('.').append(key);
            Map<String, Object> m = asMap(current, path.toString());
            assertThat(m).as(path.toString()).containsKey(key);
            current = m.get(key);
        }
        return asMap(current, path.toString());
    }

    /** A nested value by path of keys, or null when any step is missing. */
    @SuppressWarnings("unchecked")
    static Object get(Object node, String... keys) {
        Object current = node;
        for (String key : keys) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = ((Map<String, Object>) m).get(key);
        }
        return current;
    }

    /** A list of mappings under the given key; fails the test when missing. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> list(Map<String, Object> node, String key) {
        Object value = node.get(key);
        assertThat(value).as(key + " is a list").isInstanceOf(List.class);
        return (List<Map<String, Object>>) value;
    }

    /** A list of scalars by path of keys, as strings, or an empty list when absent. */
    static List<String> strings(Object node, String... keys) {
        Object value = get(node, keys);
        return value instanceof List<?> l ? l.stream().map(String::valueOf).toList() : List.of();
    }

    /** A list of mappings under the given key, or an empty list when absent. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> listOrEmpty(Object node, String... keys) {
        Object value = get(node, keys);
        return value instanceof List<?> l ? (List<Map<String, Object>>) l : List.of();
    }
}
