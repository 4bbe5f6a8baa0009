package io.ganserve.jobs;

import io.ganserve.registry.InfoGan;
import io.ganserve.registry.TrainingConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.data.DataKind;
import io.ganserve.engine.precision.Precision;
import io.ganserve.engine.precision.PrecisionChoice;
import io.ganserve.gan.Architecture;
import io.ganserve.registry.DeviceKind;
import io.ganserve.gan.LatentCodes;
import io.ganserve.gan.LossKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** What a job gets for the fields it leaves out. */
class JobDefaultsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static TrainingConfig points(String fields, int modes) {
        String body = "{\"dataset\":\"grid25\"" + (fields.isEmpty() ? "" : "," + fields) + "}";
        return JobDefaults.resolve(JSON.readValue(body, JobRequest.class), DataKind.POINTS, 0, modes);
    }

    @Test
    void aPointJobThatNamesNoVariantGetsInfoGanWithACategoricalValuePerMode() {
        TrainingConfig config = points("", 25);
        assertThat(config.variant().infoGan().codes()).isEqualTo(new LatentCodes(25, 0));
        assertThat(config.variant().infoGan().lambda()).isEqualTo(InfoGan.DEFAULT_LAMBDA);
        assertThat(config.variant().infoGan().ownershipEvery()).isEqualTo(500);
        assertThat(config.featureMaps()).as("an MLP has no DCGAN width").isZero();
        assertThat(config.loss()).isEqualTo(LossKind.NON_SATURATING);
        assertThat(config.steps()).isEqualTo(10_000);
        // serving-side options are not variants of the training step: EMA keeps the default
        assertThat(points("\"emaDecay\":0.999,\"steps\":50", 8).variant().infoGan().codes())
                .isEqualTo(new LatentCodes(8, 0));
    }

    @Test
    void anImageJobThatNamesNoStepsTrainsFiveThousand() {
        // the knee of the measured FD-against-steps curve (docs/evaluation.md); 2,000 before it
        TrainingConfig config = JobDefaults.resolve(JSON.readValue(DCGAN, JobRequest.class), DataKind.IMAGES, 28, 0);
        assertThat(config.steps()).isEqualTo(5000);
        assertThat(JobDefaults.resolve(JSON.readValue("{\"dataset\":\"fashion-mnist\",\"steps\":2000}",
                JobRequest.class), DataKind.IMAGES, 28, 0).steps()).isEqualTo(2000);
    }

    @Test
    void thePointDefaultServesAnAveragedGeneratorAndNothingElseGetsOneUnasked() {
        assertThat(points("", 25).variant().emaDecay()).isEqualTo(JobDefaults.POINT_EMA_DECAY);
        assertThat(points("\"emaDecay\":0", 25).variant().emaDecay()).as("asked for none").isZero();
        assertThat(points("\"pack\":2", 25).variant().emaDecay()).as("a variant of its own").isZero();
        assertThat(points("\"infoGan\":{\"categorical\":5}", 25).variant().emaDecay()).as("the user's codes").isZero();
        assertThat(points("", 0).variant().emaDecay()).as("no known modes, no codes").isZero();
        assertThat(JobDefaults.resolve(JobRequest.forDataset("fashion-mnist"), DataKind.IMAGES, 28, 0).variant()
                .emaDecay()).as("images").isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"loss\":\"non-saturating\"", "\"loss\":\"wgan\"", "\"pack\":2", "\"spectralNorm\":false",
        "\"conditional\":true", "\"gradientPenalty\":5", "\"clipValue\":0.02", "\"optimizer\":\"rmsprop\"",
        "\"infoGan\":{\"categorical\":0,\"continuous\":0}"})
    void aJobThatNamesAVariantTrainsItAlone(String fields) {
        assertThat(points(fields, 25).variant().infoGan()).as(fields).isEqualTo(InfoGan.OFF);
    }

    @Test
    void theUsersOwnCodesWin() {
        assertThat(points("\"infoGan\":{\"categorical\":5}", 25).variant().infoGan().codes())
                .isEqualTo(new LatentCodes(5, 2));
        // the ownership check is the point default's; codes a user asks for train as InfoGAN does
        assertThat(points("\"infoGan\":{\"categorical\":25,\"continuous\":0}", 25).variant().infoGan()
                .ownershipEvery()).isZero();
        // ... unless it asks for it: the configuration for data whose number of modes is unknown
        assertThat(points("\"infoGan\":{\"categorical\":32,\"continuous\":0,\"ownershipEvery\":500}", 25)
                .variant().infoGan()).isEqualTo(new InfoGan(new LatentCodes(32, 0), InfoGan.DEFAULT_LAMBDA,
                        InfoGan.DEFAULT_CONTINUOUS_LAMBDA, 500));
    }

    @Test
    void imagesAndPointSetsOfUnknownShapeGetNoCodes() {
        JobRequest request = JobRequest.forDataset("fashion-mnist");
        assertThat(JobDefaults.resolve(request, DataKind.IMAGES, 28, 0).variant().infoGan()).isEqualTo(InfoGan.OFF);
        assertThat(points("", 0).variant().infoGan()).isEqualTo(InfoGan.OFF);
    }

    @Test
    void infoGanOnImagesTakesThePapersMnistSettings() {
        JobRequest request = JSON.readValue("{\"dataset\":\"fashion-mnist\",\"infoGan\":{}}", JobRequest.class);
        TrainingConfig config = JobDefaults.resolve(request, DataKind.IMAGES, 28, 0);
        assertThat(config.variant().infoGan().codes()).isEqualTo(new LatentCodes(10, 2));
        assertThat(config.latentDim()).isEqualTo(62);
        assertThat(config.generatorLearningRate()).isEqualTo(1e-3f);
        assertThat(config.discriminatorLearningRate()).isEqualTo(2e-4f);
        TrainingConfig plain = JobDefaults.resolve(JobRequest.forDataset("fashion-mnist"), DataKind.IMAGES, 28, 0);
        assertThat(plain.latentDim()).isEqualTo(100);
        assertThat(plain.generatorLearningRate()).isEqualTo(2e-4f);
    }

    /** A host whose devices have native bfloat16 or not, with the given service default. */
    private static PrecisionDefaults host(PrecisionChoice service, boolean nativeBf16) {
        return new PrecisionDefaults(service, device -> nativeBf16);
    }

    private static Precision precisionOf(String body, DataKind kind, PrecisionDefaults host) {
        JobRequest request = JSON.readValue(body, JobRequest.class);
        return request.architecture() == Architecture.SEMI_SUPERVISED
                ? SemiSupervisedDefaults.resolve(request, 28, 10, host).precision()
                : JobDefaults.resolve(request, kind, 28, 0, host).precision();
    }

    private static final String DCGAN = "{\"dataset\":\"fashion-mnist\"}";
    private static final String MLP_POINTS = "{\"dataset\":\"ring8\"}";
    private static final String MLP_IMAGES = "{\"dataset\":\"fashion-mnist\",\"architecture\":\"mlp\"}";
    private static final String CYCLEGAN = "{\"dataset\":\"emoji-google\",\"architecture\":\"cyclegan\","
            + "\"target\":\"emoji-twitter\"}";
    private static final String SEMI = "{\"dataset\":\"fashion-mnist\",\"architecture\":\"semi-supervised\"}";

    @Test
    void autoTrainsConvolutionsInBfloat16WhereTheHardwareHasItAndEverythingElseInFloat32() {
        PrecisionDefaults bf16Host = host(PrecisionChoice.AUTO, true);
        PrecisionDefaults plainHost = host(PrecisionChoice.AUTO, false);
        for (String convolutional : new String[] {DCGAN, CYCLEGAN, SEMI}) {
            assertThat(precisionOf(convolutional, DataKind.IMAGES, bf16Host)).as(convolutional)
                    .isEqualTo(Precision.BFLOAT16);
            assertThat(precisionOf(convolutional, DataKind.IMAGES, plainHost)).as(convolutional)
                    .isEqualTo(Precision.FLOAT32);
        }
        // the MLPs gain nothing from bfloat16, even where it is native
        assertThat(precisionOf(MLP_POINTS, DataKind.POINTS, bf16Host)).isEqualTo(Precision.FLOAT32);
        assertThat(precisionOf(MLP_IMAGES, DataKind.IMAGES, bf16Host)).isEqualTo(Precision.FLOAT32);
        // "auto" named by the job is the same as naming nothing
        assertThat(precisionOf("{\"dataset\":\"fashion-mnist\",\"precision\":\"auto\"}", DataKind.IMAGES,
                bf16Host)).isEqualTo(Precision.BFLOAT16);
    }

    @Test
    void aJobsOwnChoiceWinsOverTheServiceDefaultAndTheHardware() {
        for (boolean nativeBf16 : new boolean[] {true, false}) {
            for (PrecisionChoice service : PrecisionChoice.values()) {
                PrecisionDefaults h = host(service, nativeBf16);
                String at = service + ", native " + nativeBf16;
                assertThat(precisionOf("{\"dataset\":\"ring8\",\"precision\":\"bfloat16\"}", DataKind.POINTS, h))
                        .as(at).isEqualTo(Precision.BFLOAT16);
                assertThat(precisionOf("{\"dataset\":\"fashion-mnist\",\"precision\":\"float32\"}",
                        DataKind.IMAGES, h)).as(at).isEqualTo(Precision.FLOAT32);
            }
        }
    }

    @Test
    void aJobThatNamesNoPrecisionTakesTheServiceDefault() {
        assertThat(precisionOf(MLP_POINTS, DataKind.POINTS, host(PrecisionChoice.BFLOAT16, false)))
                .isEqualTo(Precision.BFLOAT16);
        assertThat(precisionOf(DCGAN, DataKind.IMAGES, host(PrecisionChoice.FLOAT32, true)))
                .isEqualTo(Precision.FLOAT32);
        assertThat(precisionOf(CYCLEGAN, DataKind.IMAGES, host(PrecisionChoice.BFLOAT16, false)))
                .isEqualTo(Precision.BFLOAT16);
        // without hardware facts (the benchmarks' and tests' resolve) auto is float32
        assertThat(JobDefaults.resolve(JobRequest.forDataset("fashion-mnist"), DataKind.IMAGES, 28, 0).precision())
                .isEqualTo(Precision.FLOAT32);
    }

    @Test
    void theHardwareIsAskedAboutTheJobsOwnDevice() {
        // a CPU with bfloat16 and a GPU without: the job's device decides auto
        PrecisionDefaults h = new PrecisionDefaults(PrecisionChoice.AUTO, device -> device != DeviceKind.GPU);
        assertThat(precisionOf("{\"dataset\":\"fashion-mnist\",\"device\":\"cpu\"}", DataKind.IMAGES, h))
                .isEqualTo(Precision.BFLOAT16);
        assertThat(precisionOf("{\"dataset\":\"fashion-mnist\",\"device\":\"gpu\"}", DataKind.IMAGES, h))
                .isEqualTo(Precision.FLOAT32);
        assertThat(new PrecisionDefaults(PrecisionChoice.AUTO, device -> device == DeviceKind.AUTO).forEncoder())
                .as("an encoder trains on the service's device, and is convolutional").isEqualTo(Precision.BFLOAT16);
        assertThat(host(PrecisionChoice.AUTO, false).forEncoder()).isEqualTo(Precision.FLOAT32);
        assertThat(host(PrecisionChoice.FLOAT32, true).forEncoder()).isEqualTo(Precision.FLOAT32);
    }

    @Test
    void theRuleItself() {
        assertThat(JobDefaults.precision(null, PrecisionChoice.AUTO, true, true)).isEqualTo(Precision.BFLOAT16);
        assertThat(JobDefaults.precision(null, PrecisionChoice.AUTO, true, false)).isEqualTo(Precision.FLOAT32);
        assertThat(JobDefaults.precision(null, PrecisionChoice.AUTO, false, true)).isEqualTo(Precision.FLOAT32);
        assertThat(JobDefaults.precision(PrecisionChoice.AUTO, PrecisionChoice.FLOAT32, true, true))
                .as("a job's auto is its own choice, not the service's").isEqualTo(Precision.BFLOAT16);
        assertThat(JobDefaults.precision(PrecisionChoice.BFLOAT16, PrecisionChoice.FLOAT32, false, false))
                .isEqualTo(Precision.BFLOAT16);
    }
}
