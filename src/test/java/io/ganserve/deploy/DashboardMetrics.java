package io.ganserve.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the PromQL of a Grafana dashboard and names the metrics it asks for, so that a test can
 * hold them against what the service documents, or against a live scrape of /actuator/prometheus.
 */
public final class DashboardMetrics {

    /**
     * ganserve's own series, and Spring's HTTP and JVM ones. Anchored on a word boundary so that a
     * label value or function name that merely contains "gan_" is not taken for a metric.
     */
    public static final Pattern METRIC_NAME =
            Pattern.compile("\\b(gan_[a-z_]+|http_server_requests_seconds[a-z_]*|jvm_[a-z_]+)");

    /**
     * Series the service registers only under a condition that a test run on a CPU never meets,
     * with that condition. A dashboard may show them (in a collapsed row of their own, which
     * DashboardTest holds), and a live scrape on this project's machines lacks them.
     */
    public static final Map<String, String> CONDITIONAL = Map.of(
            "gan_engine_gpu_memory_used_bytes", "registered only when the engine runs on a GPU");

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private DashboardMetrics() {}

    /**
     * The metric names in the dashboard's queries that every live scrape must show (what
     * MetricsTest compares with /actuator/prometheus): {@link #allMetricNames(Path)} less the
     * {@link #CONDITIONAL} ones.
     */
    public static Set<String> metricNames(Path dashboardJson) {
        Set<String> names = allMetricNames(dashboardJson);
        names.removeAll(CONDITIONAL.keySet());
        return names;
    }

    /**
     * Every metric name in the dashboard's queries: panel targets (rows' nested panels included)
     * and template variables' queries, since a variable over a missing metric leaves every panel
     * that filters on it empty.
     */
    public static Set<String> allMetricNames(Path dashboardJson) {
        Set<String> names = new TreeSet<>();
        for (String expr : expressions(dashboardJson)) {
            names.addAll(metricNames(expr));
        }
        return names;
    }

    /** The metric names in one PromQL expression. */
    public static Set<String> metricNames(String promql) {
        Set<String> names = new TreeSet<>();
        Matcher m = METRIC_NAME.matcher(promql);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The PromQL of every panel target and every query variable, in document order. */
    public static List<String> expressions(Path dashboardJson) {
        JsonNode root = read(dashboardJson);
        List<String> exprs = new ArrayList<>();
        collectTargets(root.path("panels"), exprs);
        for (JsonNode variable : root.path("templating").path("list")) {
            if ("query".equals(variable.path("type").asString())) {
                JsonNode query = variable.path("query");
                // Grafana stores a variable's query as a string or, from its newer editors, as
                // an object with the PromQL in "query".
                String text = query.isObject() ? query.path("query").asString() : query.asString();
                if (!text.isBlank()) {
                    exprs.add(text);
                }
            }
        }
        return exprs;
    }

    /** The parsed dashboard. */
    public static JsonNode read(Path dashboardJson) {
        try {
            return JSON.readTree(Files.readString(dashboardJson));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectTargets(JsonNode panels, List<String> exprs) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString();
                if (!expr.isBlank()) {
                    exprs.add(expr);
                }
            }
            // A collapsed row keeps its panels inside itself.
            collectTargets(panel.path("panels"), exprs);
        }
    }

    /** For callers that want the expressions grouped by panel title (failure messages). */
    public static Map<String, List<String>> expressionsByPanel(Path dashboardJson) {
        Map<String, List<String>> byPanel = new java.util.LinkedHashMap<>();
        collectByPanel(read(dashboardJson).path("panels"), byPanel);
        return byPanel;
    }

    private static void collectByPanel(JsonNode panels, Map<String, List<String>> byPanel) {
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asString();
                if (!expr.isBlank()) {
                    byPanel.computeIfAbsent(panel.path("title").asString(), t -> new ArrayList<>()).add(expr);
                }
            }
            collectByPanel(panel.path("panels"), byPanel);
        }
    }
}
