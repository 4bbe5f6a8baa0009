package io.ganserve.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import io.ganserve.gan.Architecture;
import io.ganserve.gan.LossKind;
import io.ganserve.registry.SemiSupervisedPlan;
import io.ganserve.registry.TrainingConfig;
import io.ganserve.support.FashionMnist;
import io.ganserve.support.ShapeImages;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * A semi-supervised job's request resolved and checked as {@code POST /jobs} does it
 * ({@link JobPreview}), on a folder of four shape classes of six images each: what it defaults to,
 * and each field it refuses, named.
 */
class SemiSupervisedRequestTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path root;
    private static JobPreview preview;

    @BeforeAll
    static void folders() throws IOException {
        Path images = root.resolve("images");
        ShapeImages.writeFolder(images.resolve("shapes"), 28, 6, 1, ShapeImages.FOUR);
        Path flat = Files.createDirectories(images.resolve("flat"));
        Files.copy(images.resolve("shapes/disc/disc-000.png"), flat.resolve("one.png"));
        preview = new JobPreview(new DatasetCatalog(new DatasetLocations(root.resolve("no-mnist"),
                FashionMnist.SYSTEM_DIR, images, 100)));
    }

    private static TrainingConfig resolve(String fields) {
        return preview.resolve(JSON.readValue("{" + fields + "}", JobRequest.class));
    }

    private static void refused(String fields, String field, String reason) {
        assertThatThrownBy(() -> resolve(fields)).as(fields)
                .isInstanceOfSatisfying(InvalidJobException.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(reason);
    }

    @Test
    void aSemiSupervisedJobKeepsItsLabelsAndTakesTheMeasuredSettings() {
        TrainingConfig config = resolve("\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",\"labels\":8");
        assertThat(config.architecture()).isEqualTo(Architecture.SEMI_SUPERVISED);
        assertThat(config.trainsClassifier()).isTrue();
        assertThat(config.trainsTranslator()).isFalse();
        assertThat(config.semiSupervised()).isEqualTo(new SemiSupervisedPlan(8, 4));
        assertThat(config.loss()).as("D's unsupervised terms are the GAN paper's").isEqualTo(LossKind.MINIMAX);
        assertThat(config.steps()).isEqualTo(3000);
        assertThat(config.featureMaps()).isEqualTo(32);
        assertThat(config.imageSize()).as("a folder has no size of its own").isEqualTo(32);
        assertThat(config.discriminatorLearningRate()).isEqualTo(3e-4f);
        assertThat(config.generatorLearningRate()).isEqualTo(3e-4f);
        // every one of six images per class may be labelled
        assertThat(resolve("\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",\"labels\":24")
                .semiSupervised().labels()).isEqualTo(24);
    }

    @Test
    void theLabelCountMustBeAnEqualShareEveryClassCanGive() {
        refused("\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",\"labels\":10", "labels",
                "must be a multiple of the 4 classes of 'shapes' (an equal share of each); 10 is not: use 8 or 12");
        refused("\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",\"labels\":2", "labels", "use 4");
        refused("\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",\"labels\":28", "labels",
                "asks for 7 labelled images of each class, but class 'bar' of 'shapes' has only 6 training images");
        refused("\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\"", "labels",
                "40 asks for 10 labelled images of each class");
    }

    @Test
    void onlyLabelledImagesOfTwoClassesOrMore() {
        refused("\"architecture\":\"semi-supervised\",\"dataset\":\"ring8\",\"labels\":8", "dataset",
                "'ring8' is a point dataset");
        refused("\"architecture\":\"semi-supervised\",\"dataset\":\"flat\",\"labels\":8", "dataset",
                "'flat' has no labels");
        refused("\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",\"labels\":8,\"imageSize\":16",
                "imageSize", "28, 32 and 64");
    }

    @Test
    void theGanFieldsAreRefusedByName() {
        for (String field : new String[] {"\"loss\":\"wgan\"", "\"beta1\":0.9", "\"discriminatorSteps\":2",
                "\"conditional\":true", "\"spectralNorm\":false", "\"pack\":2", "\"emaDecay\":0.9",
                "\"keepBestBy\":\"fd\"", "\"evaluationSamples\":500", "\"parent\":\"abc\"",
                "\"target\":\"emoji-twitter\"", "\"hiddenUnits\":64", "\"learningRateSchedule\":\"linear\""}) {
            String name = field.substring(1, field.indexOf('"', 1));
            refused("\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",\"labels\":8," + field, name,
                    "does not apply to architecture semi-supervised");
        }
        // the fields both networks read are taken
        TrainingConfig config = resolve("\"architecture\":\"semi-supervised\",\"dataset\":\"shapes\",\"labels\":8,"
                + "\"featureMaps\":8,\"latentDim\":16,\"imageSize\":28,\"steps\":40,\"batchSize\":16,"
                + "\"discriminatorLearningRate\":0.001,\"generatorLearningRate\":0.002,\"evaluateEvery\":20");
        assertThat(config.featureMaps()).isEqualTo(8);
        assertThat(config.latentDim()).isEqualTo(16);
        assertThat(config.discriminatorLearningRate()).isEqualTo(1e-3f);
        assertThat(config.generatorLearningRate()).isEqualTo(2e-3f);
        assertThat(config.evaluation().every()).isEqualTo(20);
    }

    @Test
    void labelsBelongToSemiSupervisedJobsOnly() {
        refused("\"dataset\":\"shapes\",\"labels\":8", "labels", "only an architecture semi-supervised job");
        refused("\"architecture\":\"dcgan\",\"dataset\":\"shapes\",\"labels\":8", "labels", "semi-supervised");
        assertThat(resolve("\"dataset\":\"shapes\"").trainsClassifier()).isFalse();
    }

    @Test
    void fashionMnistDefaultsToTenLabelsOfEachOfItsTenGarments() {
        FashionMnist.assumeInstalled();
        TrainingConfig config = resolve("\"architecture\":\"semi-supervised\",\"dataset\":\"fashion-mnist\"");
        assertThat(config.semiSupervised()).isEqualTo(new SemiSupervisedPlan(100, 10));
        assertThat(config.imageSize()).isEqualTo(28);
        assertThat(resolve("\"architecture\":\"semi-supervised\",\"dataset\":\"fashion-mnist\",\"labels\":60000")
                .semiSupervised().labels()).as("6,000 training images of each garment").isEqualTo(60000);
        refused("\"architecture\":\"semi-supervised\",\"dataset\":\"fashion-mnist\",\"labels\":60010", "labels",
                "has only 6000 training images; use at most 60000");
    }
}
