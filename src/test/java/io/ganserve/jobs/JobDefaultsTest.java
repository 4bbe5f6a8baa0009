package io.ganserve.jobs;

import io.ganserve.registry.InfoGan;
import io.ganserve.registry.TrainingConfig;
import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.data.DataKind;
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
}
