package io.ganserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The Grafana dashboard asks only for series the service documents, shows every one of them,
 * and is wired to the datasource that provisioning creates. What is checked here is static: the
 * live comparison against a real scrape can reuse {@link #metricNames(Path)}.
 */
public class DashboardTest {

    static final Path DASHBOARD = Repo.path("deploy/grafana/dashboards/ganserve.json");
    static final Path DATASOURCES = Repo.path("deploy/grafana/provisioning/datasources/prometheus.yml");

    /** Gauges (and counters, already suffixed _total) as Prometheus names them. */
    static final Set<String> SINGLE_SERIES = Set.of(
            "gan_training_generator_loss",
            "gan_training_discriminator_loss",
            "gan_training_step",
            "gan_training_epoch",
            "gan_training_samples_per_second",
            "gan_training_seconds_per_step",
            "gan_training_wasserstein_estimate",
            "gan_training_gradient_penalty",
            "gan_training_mutual_information",
            "gan_training_divergence_replays_total",
            "gan_evaluation_score",
            "gan_checkpoint_size_bytes",
            "gan_jobs",
            "gan_jobs_queue_length",
            "gan_sampling_samples_total",
            "gan_sampling_model_loads_total",
            "gan_sampling_model_age_seconds",
            "gan_sampling_model_default",
            "gan_sampling_model_pinned",
            "gan_models_deleted_total",
            "gan_models_deleted_freed_bytes_total",
            "gan_engine_info",
            "gan_engine_ndarray_bytes",
            "gan_engine_gpu_memory_used_bytes",
            "gan_process_resident_memory_bytes",
            "jvm_memory_used_bytes");

    /** Timers: Micrometer exports _count, _sum and _max for each. */
    static final Set<String> TIMERS = Set.of(
            "gan_checkpoint_write_seconds",
            "gan_evaluation_duration_seconds",
            "gan_job_duration_seconds",
            "gan_sampling_request_seconds",
            "http_server_requests_seconds");

    /** Per-data-set series among the gan_training_ ones: no job_id to filter by. */
    static final Set<String> PER_DATASET = Set.of("gan_training_divergence_replays_total");

    /** Timers that publish a histogram, and so also _bucket. */
    static final Set<String> HISTOGRAM_TIMERS = Set.of("gan_sampling_request_seconds");

    /** Every series name the service documents at /actuator/prometheus that a dashboard may use. */
    public static final Set<String> DOCUMENTED = documented();

    private static Set<String> documented() {
        Set<String> names = new TreeSet<>(SINGLE_SERIES);
        for (String timer : TIMERS) {
            names.add(timer + "_count");
            names.add(timer + "_sum");
            names.add(timer + "_max");
        }
        for (String timer : HISTOGRAM_TIMERS) {
            names.add(timer + "_bucket");
        }
        return Set.copyOf(names);
    }

    /** The metric names the dashboard's queries use: see {@link DashboardMetrics#metricNames(Path)}. */
    public static Set<String> metricNames(Path dashboardJson) {
        return DashboardMetrics.metricNames(dashboardJson);
    }

    @Test
    void usesOnlyDocumentedMetrics() {
        Map<String, List<String>> byPanel = DashboardMetrics.expressionsByPanel(DASHBOARD);
        List<String> unknown = new ArrayList<>();
        byPanel.forEach((panel, exprs) -> exprs.forEach(expr -> DashboardMetrics.metricNames(expr).stream()
                .filter(name -> !DOCUMENTED.contains(name))
                .forEach(name -> unknown.add(panel + ": " + name))));
        assertThat(unknown).as("metrics the service does not export").isEmpty();
        assertThat(DashboardMetrics.allMetricNames(DASHBOARD)).isSubsetOf(DOCUMENTED).hasSizeGreaterThan(20);
    }

    @Test
    void showsEveryDocumentedMetricFamily() {
        Set<String> used = DashboardMetrics.allMetricNames(DASHBOARD);
        Set<String> families = new TreeSet<>(SINGLE_SERIES);
        families.addAll(TIMERS);
        Set<String> missing = new TreeSet<>();
        for (String family : families) {
            boolean shown = used.contains(family)
                    || used.stream().anyMatch(name -> name.startsWith(family + "_")
                            && DOCUMENTED.contains(name) && !SINGLE_SERIES.contains(name));
            if (!shown) {
                missing.add(family);
            }
        }
        assertThat(missing).as("documented metrics no panel shows").isEmpty();
    }

    @Test
    void extractsNamesFromPromql() {
        assertThat(DashboardMetrics.metricNames(
                "histogram_quantile(0.99, sum by (le, route) (rate(gan_sampling_request_seconds_bucket[5m])))"))
                .containsExactly("gan_sampling_request_seconds_bucket");
        assertThat(DashboardMetrics.metricNames(
                "sum by (uri) (rate(http_server_requests_seconds_sum{uri!~\"/actuator.*\"}[5m])) / sum(jvm_memory_used_bytes)"))
                .containsExactlyInAnyOrder("http_server_requests_seconds_sum", "jvm_memory_used_bytes");
        // "organ_x" is not a gan_ metric: the match needs a word boundary
        assertThat(DashboardMetrics.metricNames("sum(organ_x)")).isEmpty();
    }

    @Test
    void latencyQuantilesComeFromTheSamplingHistogramByEndpoint() {
        List<String> exprs = DashboardMetrics.expressions(DASHBOARD);
        for (String q : List.of("0.50", "0.95", "0.99")) {
            assertThat(exprs).as("p" + q.substring(2))
                    .anySatisfy(e -> assertThat(e.replace(" ", ""))
                            .startsWith("histogram_quantile(" + q + ",")
                            .contains("rate(gan_sampling_request_seconds_bucket[5m])")
                            .contains("by(le,route)"));
        }
        assertThat(exprs).as("error rate")
                .anySatisfy(e -> assertThat(e).contains("outcome!=\"success\"").contains("gan_sampling_request_seconds_count"));
    }

    @Test
    void everyQueryGoesToTheProvisionedDatasource() {
        String uid = provisionedDatasourceUid();
        assertThat(uid).isEqualTo("prometheus");
        JsonNode root = DashboardMetrics.read(DASHBOARD);
        List<JsonNode> panels = new ArrayList<>();
        flatten(root.path("panels"), panels);
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels) {
            String title = panel.path("title").asString();
            assertThat(ids.add(panel.path("id").asInt())).as("unique id: " + title).isTrue();
            JsonNode grid = panel.path("gridPos");
            assertThat(grid.path("x").asInt() + grid.path("w").asInt()).as("fits 24 columns: " + title).isLessThanOrEqualTo(24);
            if ("row".equals(panel.path("type").asString())) {
                continue;
            }
            assertThat(panel.path("datasource").path("uid").asString()).as(title).isEqualTo(uid);
            assertThat(panel.path("targets")).as(title).isNotEmpty();
            Set<String> refIds = new HashSet<>();
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.path("datasource").path("uid").asString()).as(title).isEqualTo(uid);
                assertThat(target.path("expr").asString()).as(title).isNotBlank();
                assertThat(refIds.add(target.path("refId").asString())).as("unique refId in " + title).isTrue();
                assertThat(balanced(target.path("expr").asString())).as("brackets balance: " + target.path("expr")).isTrue();
            }
        }
        assertThat(root.path("uid").asString()).isEqualTo("ganserve");
        assertThat(root.path("schemaVersion").asInt()).isGreaterThanOrEqualTo(39);
    }

    @Test
    void jobVariableListsTrainingJobsAndFiltersTheTrainingPanels() {
        JsonNode root = DashboardMetrics.read(DASHBOARD);
        JsonNode job = null;
        for (JsonNode variable : root.path("templating").path("list")) {
            if ("job_id".equals(variable.path("name").asString())) {
                job = variable;
            }
        }
        assertThat(job).as("templating variable job").isNotNull();
        assertThat(job.path("datasource").path("uid").asString()).isEqualTo(provisionedDatasourceUid());
        assertThat(job.path("definition").asString()).isEqualTo("label_values(gan_training_step, job_id)");
        JsonNode query = job.path("query");
        assertThat(query.isObject() ? query.path("query").asString() : query.asString())
                .isEqualTo("label_values(gan_training_step, job_id)");
        assertThat(job.path("includeAll").asBoolean()).isTrue();
        assertThat(job.path("allValue").asString()).isEqualTo(".*");

        // Every per-job series is filtered by the variable, so choosing a job narrows all of them.
        Pattern perJob = Pattern.compile("\\b(gan_training_[a-z_]+|gan_checkpoint_size_bytes)(\\{[^}]*})?");
        for (String expr : DashboardMetrics.expressions(DASHBOARD)) {
            Matcher m = perJob.matcher(expr);
            while (m.find()) {
                if (expr.startsWith("label_values") || PER_DATASET.contains(m.group(1))) {
                    continue;
                }
                assertThat(m.group(2)).as(expr).isNotNull().contains("job_id=~\"$job_id\"");
            }
        }
    }

    /**
     * Scores outlive their job (the 20 most recently evaluated are kept), so they have a variable
     * of their own: the training job variable lists running jobs only.
     */
    @Test
    void evaluationPanelsShowEveryScoreAndFilterByTheEvaluatedJobVariable() {
        JsonNode root = DashboardMetrics.read(DASHBOARD);
        JsonNode evaluated = null;
        for (JsonNode variable : root.path("templating").path("list")) {
            if ("eval_job_id".equals(variable.path("name").asString())) {
                evaluated = variable;
            }
        }
        assertThat(evaluated).as("templating variable eval_job_id").isNotNull();
        assertThat(evaluated.path("datasource").path("uid").asString()).isEqualTo(provisionedDatasourceUid());
        assertThat(evaluated.path("query").asString()).isEqualTo("label_values(gan_evaluation_score, job_id)");
        assertThat(evaluated.path("includeAll").asBoolean()).isTrue();
        assertThat(evaluated.path("allValue").asString()).isEqualTo(".*");

        Pattern score = Pattern.compile("\\bgan_evaluation_score(\\{[^}]*})?");
        Pattern metric = Pattern.compile("metric=(~?)\"([^\"]*)\"");
        Set<String> shown = new TreeSet<>();
        for (String expr : DashboardMetrics.expressions(DASHBOARD)) {
            if (expr.startsWith("label_values")) {
                continue;
            }
            Matcher m = score.matcher(expr);
            while (m.find()) {
                assertThat(m.group(1)).as(expr).isNotNull().contains("job_id=~\"$eval_job_id\"");
                Matcher selected = metric.matcher(m.group(1));
                if (selected.find()) {
                    shown.addAll(List.of(selected.group(1).isEmpty() ? new String[] {selected.group(2)}
                            : selected.group(2).split("\\|")));
                }
            }
        }
        List<String> all = java.util.Arrays.stream(io.ganserve.registry.Metric.values()).map(io.ganserve.registry.Metric::id).toList();
        assertThat(shown).as("scores with a panel of their own").containsExactlyInAnyOrderElementsOf(all);
    }

    /**
     * The figures a loss does not have are NaN (docs/operations.md); the variant panels drop them
     * rather than list every other job with an empty line.
     */
    @Test
    void variantFiguresLeaveOutJobsWithoutThem() {
        for (String figure : List.of("gan_training_wasserstein_estimate", "gan_training_gradient_penalty",
                "gan_training_mutual_information")) {
            assertThat(DashboardMetrics.expressions(DASHBOARD)).as(figure)
                    .anySatisfy(e -> assertThat(e).startsWith(figure + "{").endsWith("> -Inf"));
        }
    }

    /**
     * Series that exist only under a condition (a GPU engine) sit in a collapsed row of their own
     * (repeated per instance that has them, below), so that a CPU deployment shows no empty panel
     * open, and are the only ones the live comparison
     * with a scrape (MetricsTest, through DashboardMetrics.metricNames) leaves out.
     */
    @Test
    void conditionalSeriesSitInACollapsedRowOfTheirOwn() {
        assertThat(DashboardMetrics.CONDITIONAL.keySet()).isSubsetOf(DOCUMENTED);
        Set<String> all = DashboardMetrics.allMetricNames(DASHBOARD);
        assertThat(all).containsAll(DashboardMetrics.CONDITIONAL.keySet());
        assertThat(DashboardMetrics.metricNames(DASHBOARD))
                .isEqualTo(all.stream().filter(n -> !DashboardMetrics.CONDITIONAL.containsKey(n))
                        .collect(java.util.stream.Collectors.toCollection(TreeSet::new)));
        for (JsonNode panel : DashboardMetrics.read(DASHBOARD).path("panels")) {
            boolean collapsedRow = "row".equals(panel.path("type").asString()) && panel.path("collapsed").asBoolean();
            Iterable<JsonNode> members = collapsedRow ? panel.path("panels") : List.of(panel);
            for (JsonNode inner : members) {
                for (JsonNode target : inner.path("targets")) {
                    Set<String> names = DashboardMetrics.metricNames(target.path("expr").asString());
                    boolean conditional = names.stream().anyMatch(DashboardMetrics.CONDITIONAL::containsKey);
                    if (conditional) {
                        assertThat(collapsedRow).as(inner.path("title").asString() + " in a collapsed row").isTrue();
                        assertThat(names).as(inner.path("title").asString()).allMatch(DashboardMetrics.CONDITIONAL::containsKey);
                    } else if (collapsedRow) {
                        throw new AssertionError("collapsed row " + panel.path("title").asString()
                                + " holds a series every instance has: " + names);
                    }
                }
            }
        }
    }

    /**
     * The GPU row is there only where the series is: it repeats over a hidden variable listing the
     * instances that report it, once per instance, each panel narrowed to its row's instance.
     * (Grafana cannot repeat a row zero times: with no such instance one collapsed placeholder
     * row is left, which the test above keeps collapsed.)
     */
    @Test
    void conditionalRowsRepeatOverAHiddenVariableOfTheInstancesThatHaveTheSeries() {
        JsonNode root = DashboardMetrics.read(DASHBOARD);
        Map<String, JsonNode> variables = new java.util.HashMap<>();
        for (JsonNode variable : root.path("templating").path("list")) {
            variables.put(variable.path("name").asString(), variable);
        }
        int conditionalRows = 0;
        for (JsonNode panel : root.path("panels")) {
            if (!"row".equals(panel.path("type").asString())) {
                continue;
            }
            Set<String> names = new TreeSet<>();
            for (JsonNode inner : panel.path("panels")) {
                for (JsonNode target : inner.path("targets")) {
                    names.addAll(DashboardMetrics.metricNames(target.path("expr").asString()));
                }
            }
            if (names.stream().noneMatch(DashboardMetrics.CONDITIONAL::containsKey)) {
                assertThat(panel.path("repeat").isMissingNode() || panel.path("repeat").asString().isEmpty())
                        .as("row " + panel.path("title").asString() + " repeats only for a conditional series").isTrue();
                continue;
            }
            conditionalRows++;
            String title = panel.path("title").asString();
            String name = panel.path("repeat").asString();
            assertThat(name).as(title + " repeats").isNotBlank();
            assertThat(title).as("the row names its instance").contains("$" + name);
            JsonNode variable = variables.get(name);
            assertThat(variable).as("templating variable " + name).isNotNull();
            assertThat(variable.path("type").asString()).isEqualTo("query");
            assertThat(variable.path("hide").asInt()).as(name + " hidden").isEqualTo(2);
            assertThat(variable.path("datasource").path("uid").asString()).isEqualTo(provisionedDatasourceUid());
            assertThat(variable.path("multi").asBoolean()).isTrue();
            assertThat(variable.path("includeAll").asBoolean()).isTrue();
            assertThat(variable.path("current").path("value").toString()).as("every instance selected").contains("$__all");
            String metric = names.iterator().next();
            assertThat(names).as(title).containsExactly(metric);
            JsonNode query = variable.path("query");
            assertThat(query.isObject() ? query.path("query").asString() : query.asString())
                    .isEqualTo("label_values(" + metric + ", instance)");
            for (JsonNode inner : panel.path("panels")) {
                for (JsonNode target : inner.path("targets")) {
                    assertThat(target.path("expr").asString()).as(inner.path("title").asString())
                            .contains(metric + "{instance=~\"$" + name + "\"}");
                }
            }
        }
        assertThat(conditionalRows).isEqualTo(1);
    }

    static String provisionedDatasourceUid() {
        Map<String, Object> doc = Yamls.single(DATASOURCES);
        List<Map<String, Object>> sources = Yamls.list(doc, "datasources");
        assertThat(sources).hasSize(1);
        return (String) sources.get(0).get("uid");
    }

    private static void flatten(JsonNode panels, List<JsonNode> out) {
        for (JsonNode panel : panels) {
            out.add(panel);
            flatten(panel.path("panels"), out);
        }
    }

    private static boolean balanced(String expr) {
        int round = 0;
        int curly = 0;
        int square = 0;
        boolean quoted = false;
        for (char c : expr.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            }
            if (quoted) {
                continue;
            }
            switch (c) {
                case '(' -> round++;
                case ')' -> round--;
                case '{' -> curly++;
                case '}' -> curly--;
                case '[' -> square++;
                case ']' -> square--;
                default -> { }
            }
            if (round < 0 || curly < 0 || square < 0) {
                return false;
            }
        }
        return round == 0 && curly == 0 && square == 0 && !quoted;
    }
}
