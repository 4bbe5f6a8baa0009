package io.ganserve.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * docs/resources.md's "Every limit" table against what the service starts with: each setting's
 * default there is the value in application.yml, else its properties record's {@code @DefaultValue}.
 */
class DocumentedLimitsTest {

    /** The records behind the {@code ganserve.*} limits; a setting the table names must be in one of them or in the yml. */
    private static final List<String> PROPERTIES = List.of("io.ganserve.engine.ResourceProperties",
            "io.ganserve.api.RateLimitProperties", "io.ganserve.api.ApiProperties",
            "io.ganserve.jobs.TrainingProperties", "io.ganserve.jobs.EvaluationProperties",
            "io.ganserve.jobs.EncoderProperties", "io.ganserve.sampling.SamplingProperties",
            "io.ganserve.inversion.InversionProperties", "io.ganserve.data.DatasetUploadProperties");
    private static final Pattern CODE = Pattern.compile("`([^`]+)`");

    @Test
    void everyLimitInTheTableHasTheDefaultTheServiceStartsWith() throws Exception {
        Map<String, String> table = limitsTable();
        Map<String, String> defaults = annotatedDefaults();
        Map<String, String> yml = new LinkedHashMap<>();
        flatten("", Yamls.single(Repo.path("src/main/resources/application.yml")), yml);

        assertThat(table).containsKeys("ganserve.sampling.batch-window", "ganserve.sampling.batch-queue",
                "ganserve.training.progress.max-grids", "ganserve.encoder.queue-capacity",
                "ganserve.evaluation.queue-capacity", "ganserve.resources.min-free-disk");
        table.forEach((setting, documented) -> {
            String actual = yml.getOrDefault(setting, defaults.get(setting));
            assertThat(actual).as("%s: neither in application.yml nor a properties record", setting).isNotNull();
            assertThat(documented.split("\\s+")[0]).as(setting).isEqualTo(actual);
        });
    }

    /**
     * docs/operations.md's configuration table for the engine's settings (device, threads,
     * precision), which are choices rather than limits and so are not in resources.md's table.
     */
    @Test
    void theEngineSettingsInTheConfigurationTableHaveTheDefaultsTheServiceStartsWith() throws Exception {
        Map<String, String> defaults = annotatedDefaults(List.of("io.ganserve.engine.EngineProperties"));
        Map<String, String> yml = new LinkedHashMap<>();
        flatten("", Yamls.single(Repo.path("src/main/resources/application.yml")), yml);
        Map<String, String> table = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Repo.path("docs/operations.md"))) {
            String[] cells = line.split("\\|");
            if (cells.length >= 3 && cells[1].strip().startsWith("`ganserve.engine.")) {
                table.put(cells[1].strip().replace("`", ""), cells[2].strip().replace("`", "").split("\\s+")[0]);
            }
        }
        assertThat(table).containsKeys("ganserve.engine.device", "ganserve.engine.intra-op-threads",
                "ganserve.engine.precision");
        assertThat(table.keySet()).as("every engine setting the record binds is in the table")
                .containsAll(defaults.keySet());
        table.forEach((setting, documented) -> {
            assertThat(yml).as("%s is in application.yml, with a comment if it needs one", setting).containsKey(setting);
            assertThat(documented).as(setting).isEqualTo(yml.get(setting)).isEqualTo(defaults.get(setting));
        });
    }

    @Test
    void theEvaluationSampleRangeIsTheOneTheRequestsCheck() throws Exception {
        String row = Files.readAllLines(Repo.path("docs/resources.md")).stream()
                .filter(l -> l.startsWith("| evaluation samples")).findFirst().orElseThrow();
        Class<?> request = Class.forName("io.ganserve.api.EvaluationController$EvaluationRequest");
        for (var field : List.of(request.getDeclaredField("samples"),
                Class.forName("io.ganserve.jobs.JobRequest").getDeclaredField("evaluationSamples"))) {
            assertThat(row).as(field.toString()).contains(field.getAnnotation(Min.class).value() + " to "
                    + field.getAnnotation(Max.class).value());
        }
        assertThat(row).contains(io.ganserve.registry.EvaluationPlan.IMAGE_SAMPLES + " for images, "
                + io.ganserve.registry.EvaluationPlan.POINT_SAMPLES + " for points");
    }

    /** Setting → its default as the table writes it; "`a.b`, `…c`" rows give a.b and a.c, their defaults in order. */
    private static Map<String, String> limitsTable() throws IOException {
        List<String> lines = Files.readAllLines(Repo.path("docs/resources.md"));
        int start = lines.indexOf("## Every limit, with its default");
        assertThat(start).isNotNegative();
        Map<String, String> table = new LinkedHashMap<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (line.startsWith("## ")) {
                break;
            }
            String[] cells = line.split("\\|");
            if (cells.length < 3 || !cells[1].strip().startsWith("`ganserve.")) {
                continue;
            }
            List<String> names = new ArrayList<>();
            Matcher m = CODE.matcher(cells[1]);
            while (m.find()) {
                String name = m.group(1);
                names.add(name.startsWith("…") ? names.get(0).substring(0, names.get(0).lastIndexOf('.') + 1)
                        + name.substring(1) : name);
            }
            String value = cells[2].strip();
            String[] values = names.size() == 1 ? new String[] {value} : value.split(",\\s*");
            assertThat(values).as(line).hasSize(names.size());
            for (int i = 0; i < names.size(); i++) {
                table.put(names.get(i), values[i].strip());
            }
        }
        return table;
    }

    private static Map<String, String> annotatedDefaults() throws ClassNotFoundException {
        return annotatedDefaults(PROPERTIES);
    }

    private static Map<String, String> annotatedDefaults(List<String> records) throws ClassNotFoundException {
        Map<String, String> defaults = new LinkedHashMap<>();
        for (String name : records) {
            Class<?> type = Class.forName(name);
            String prefix = type.getAnnotation(ConfigurationProperties.class).value();
            RecordComponent[] components = type.getRecordComponents();
            Constructor<?> canonical = canonical(type, components);
            for (int i = 0; i < components.length; i++) {
                DefaultValue value = components[i].getAnnotation(DefaultValue.class);
                if (value == null) {
                    value = canonical.getParameters()[i].getAnnotation(DefaultValue.class);
                }
                if (value != null && value.value().length == 1) {
                    defaults.put(prefix + "." + kebab(components[i].getName()), value.value()[0]);
                }
            }
        }
        return defaults;
    }

    private static Constructor<?> canonical(Class<?> type, RecordComponent[] components) {
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
        }
        try {
            return type.getDeclaredConstructor(types);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e);
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Map<String, Object> node, Map<String, String> into) {
        node.forEach((key, value) -> {
            String name = prefix.isEmpty() ? key : prefix + "." + key;
            if (value instanceof Map<?, ?> child) {
                flatten(name, (Map<String, Object>) child, into);
            } else if (value != null) {
                into.put(name, value.toString());
            }
        });
    }
}
