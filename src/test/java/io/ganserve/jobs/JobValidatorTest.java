package io.ganserve.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ganserve.data.DataKind;
import io.ganserve.data.DatasetInfo;
import io.ganserve.registry.TrainingConfig;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/**
 * Each rule of {@link JobValidator}, without a server: a job that breaks it, refused with the field
 * and the reason, and the job next to it, which passes. Jobs are built as {@code POST /jobs} builds
 * them: the request's JSON, then {@link JobDefaults}, then the validator.
 */
class JobValidatorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A point mixture of 8 modes; its points carry their mode as a label. */
    private static final DatasetInfo RING8 = new DatasetInfo("ring8", DataKind.POINTS, 0, true, null);
    /** An image folder with one subfolder per class. */
    private static final DatasetInfo SHAPES = new DatasetInfo("shapes", DataKind.IMAGES, -1, true, null);
    /** An image folder with its images straight inside: no labels. */
    private static final DatasetInfo FLAT = new DatasetInfo("flat", DataKind.IMAGES, -1, false, null);

    /** A job on {@code dataset} with these request fields, on a host with {@code gpus} visible GPUs. */
    record Job(DatasetInfo dataset, String fields, int gpus) {

        Job(DatasetInfo dataset, String fields) {
            this(dataset, fields, 0);
        }

        TrainingConfig config() {
            String body = "{\"dataset\":\"" + dataset.name() + "\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
            // as JobService resolves it: built-in image sets are 28 pixels, folders have no one size, ring8 has 8 modes
            int modes = dataset.kind() == DataKind.POINTS ? 8 : 0;
            return JobDefaults.resolve(JSON.readValue(body, JobRequest.class), dataset.kind(), 0, modes);
        }

        void validate() {
            JobValidator.validate(config(), dataset, gpus);
        }

        @Override
        public String toString() {
            return dataset.name() + " {" + fields + "}" + (gpus > 0 ? " with " + gpus + " GPU(s)" : "");
        }
    }

    /**
     * @param field what {@link InvalidJobException#field()} names
     * @param reason a part of the message that says which rule it is
     */
    record Rule(String name, Job breaking, String field, String reason, Job passing) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Rule> rules() {
        return Stream.of(
                new Rule("a GPU job needs a visible GPU",
                        new Job(RING8, "\"device\":\"gpu\"", 0), "device", "no GPU is visible to the engine",
                        new Job(RING8, "\"device\":\"gpu\"", 1)),
                new Rule("pack divides batchSize",
                        new Job(RING8, "\"batchSize\":256,\"pack\":3"), "pack", "must divide batchSize (256)",
                        new Job(RING8, "\"batchSize\":255,\"pack\":3")),
                new Rule("the gradient penalty is for MLP critics",
                        new Job(SHAPES, "\"architecture\":\"dcgan\",\"gradientPenalty\":10"), "gradientPenalty",
                        "the gradient penalty is computed for MLP critics",
                        new Job(SHAPES, "\"architecture\":\"mlp\",\"gradientPenalty\":10")),
                new Rule("spectral norm or the gradient penalty",
                        new Job(RING8, "\"gradientPenalty\":10,\"spectralNorm\":true"), "spectralNorm",
                        "choose one of spectral normalisation and the gradient penalty",
                        new Job(RING8, "\"gradientPenalty\":0,\"spectralNorm\":true")),
                new Rule("spectral norm or weight clipping",
                        new Job(RING8, "\"clipValue\":0.01,\"spectralNorm\":true"), "spectralNorm",
                        "choose one of spectral normalisation and weight clipping",
                        new Job(RING8, "\"clipValue\":0.01,\"spectralNorm\":false")),
                new Rule("weight clipping or the gradient penalty",
                        new Job(RING8, "\"clipValue\":0.01,\"gradientPenalty\":10"), "clipValue",
                        "weight clipping and the gradient penalty do not go together",
                        new Job(RING8, "\"clipValue\":0,\"gradientPenalty\":10")),
                new Rule("a conditional GAN needs labels",
                        new Job(FLAT, "\"conditional\":true"), "conditional", "but 'flat' has no labels",
                        new Job(SHAPES, "\"conditional\":true")),
                new Rule("a conditional GAN does not pack",
                        new Job(RING8, "\"conditional\":true,\"pack\":2"), "conditional",
                        "packing does not go with a conditional GAN",
                        new Job(RING8, "\"conditional\":true,\"pack\":1")),
                new Rule("a conditional GAN has no gradient penalty",
                        new Job(RING8, "\"conditional\":true,\"gradientPenalty\":10"), "conditional",
                        "would not account for the label",
                        new Job(RING8, "\"conditional\":true,\"gradientPenalty\":0")),
                new Rule("an InfoGAN categorical code has no single value",
                        new Job(RING8, "\"infoGan\":{\"categorical\":1}"), "infoGan.categorical",
                        "must be 0 (none) or at least 2",
                        new Job(RING8, "\"infoGan\":{\"categorical\":2}")),
                new Rule("the ownership check needs a categorical code",
                        new Job(RING8, "\"infoGan\":{\"categorical\":0,\"continuous\":2,\"ownershipEvery\":500}"),
                        "infoGan.ownershipEvery", "needs a point dataset and a categorical code",
                        new Job(RING8, "\"infoGan\":{\"categorical\":8,\"continuous\":0,\"ownershipEvery\":500}")),
                new Rule("the ownership check is for point data",
                        new Job(SHAPES, "\"infoGan\":{\"categorical\":4,\"ownershipEvery\":500}"),
                        "infoGan.ownershipEvery", "needs a point dataset",
                        new Job(SHAPES, "\"infoGan\":{\"categorical\":4,\"ownershipEvery\":0}")),
                new Rule("InfoGAN or conditional",
                        new Job(RING8, "\"infoGan\":{},\"conditional\":true"), "infoGan",
                        "use it or conditional, not both",
                        new Job(RING8, "\"infoGan\":{},\"conditional\":false")),
                new Rule("InfoGAN does not pack",
                        new Job(RING8, "\"infoGan\":{},\"pack\":2"), "infoGan", "a pack holds 2 samples; use pack 1",
                        new Job(RING8, "\"infoGan\":{},\"pack\":1")),
                new Rule("InfoGAN has no gradient penalty",
                        new Job(RING8, "\"infoGan\":{},\"gradientPenalty\":10"), "infoGan",
                        "InfoGAN's carries a Q head; use gradientPenalty 0",
                        new Job(RING8, "\"infoGan\":{},\"gradientPenalty\":0")),
                new Rule("stopWhen has a bound",
                        new Job(RING8, "\"stopWhen\":{\"metric\":\"kl\"}"), "stopWhen", "needs below or above",
                        new Job(RING8, "\"stopWhen\":{\"metric\":\"kl\",\"below\":0.1}")),
                new Rule("stopWhen on points uses a point score",
                        new Job(RING8, "\"stopWhen\":{\"metric\":\"fd\",\"below\":5}"), "stopWhen.metric",
                        "fd is an image score; point datasets are scored by modes, hq and kl",
                        new Job(RING8, "\"stopWhen\":{\"metric\":\"modes\",\"above\":7}")),
                new Rule("stopWhen on images uses an image score",
                        new Job(SHAPES, "\"stopWhen\":{\"metric\":\"kl\",\"below\":0.1}"), "stopWhen.metric",
                        "kl is a point-mixture score; image datasets are scored by",
                        new Job(SHAPES, "\"stopWhen\":{\"metric\":\"fd\",\"below\":5}")),
                new Rule("a feature-network score needs classes",
                        new Job(FLAT, "\"stopWhen\":{\"metric\":\"fd\",\"below\":5}"), "stopWhen.metric",
                        "fd needs the feature network",
                        new Job(FLAT, "\"stopWhen\":{\"metric\":\"parzen\",\"above\":0}")),
                new Rule("a feature-network score needs images of 16 pixels or more",
                        new Job(SHAPES, "\"architecture\":\"mlp\",\"imageSize\":15,\"stopWhen\":{\"metric\":\"is\",\"above\":2}"),
                        "stopWhen.metric", "is needs the feature network",
                        new Job(SHAPES, "\"architecture\":\"mlp\",\"imageSize\":16,\"stopWhen\":{\"metric\":\"is\",\"above\":2}")),
                new Rule("keepBestBy on points is a point score",
                        new Job(RING8, "\"keepBestBy\":\"fd\""), "keepBestBy", "fd is an image score",
                        new Job(RING8, "\"keepBestBy\":\"hq\"")),
                new Rule("keepBestBy on images is an image score",
                        new Job(SHAPES, "\"keepBestBy\":\"modes\""), "keepBestBy", "modes is a point-mixture score",
                        new Job(SHAPES, "\"keepBestBy\":\"precision\"")),
                new Rule("dcgan trains images",
                        new Job(RING8, "\"architecture\":\"dcgan\""), "architecture",
                        "dcgan needs an image dataset, but 'ring8' is a point dataset",
                        new Job(RING8, "\"architecture\":\"mlp\"")),
                new Rule("dcgan's image sizes",
                        new Job(SHAPES, "\"architecture\":\"dcgan\",\"imageSize\":48"), "imageSize",
                        "dcgan supports image sizes 28, 32 and 64, not 48",
                        new Job(SHAPES, "\"architecture\":\"dcgan\",\"imageSize\":64")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void aJobThatBreaksARuleIsRefusedNamingTheFieldAndTheRule(Rule rule) {
        assertThatThrownBy(rule.breaking()::validate)
                .as(rule.breaking().toString())
                .isInstanceOfSatisfying(InvalidJobException.class,
                        e -> assertThat(e.field()).isEqualTo(rule.field()))
                .hasMessageContaining(rule.reason());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rules")
    void theJobNextToItPasses(Rule rule) {
        assertThatCode(rule.passing()::validate).as(rule.passing().toString()).doesNotThrowAnyException();
    }

    /** The InfoGAN points get by default is dropped by naming a variant, so it never trips InfoGAN's rules. */
    @ParameterizedTest
    @ValueSource(strings = {"", "\"pack\":2", "\"conditional\":true", "\"gradientPenalty\":10", "\"loss\":\"wgan-gp\"",
        "\"loss\":\"wgan\"", "\"spectralNorm\":true", "\"keepBestBy\":\"modes\""})
    void pointJobsOnTheirDefaultsPass(String fields) {
        assertThatCode(new Job(RING8, fields)::validate).as(fields).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\"conditional\":true", "\"loss\":\"hinge\",\"spectralNorm\":true", "\"loss\":\"wgan\"",
        "\"infoGan\":{}", "\"pack\":4", "\"imageSize\":28", "\"stopWhen\":{\"metric\":\"recall\",\"above\":0.5}"})
    void imageJobsOnTheirDefaultsPass(String fields) {
        assertThatCode(new Job(SHAPES, fields)::validate).as(fields).doesNotThrowAnyException();
    }
}
