package io.ganserve.training.cyclegan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import io.ganserve.data.EmojiImages;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.evaluation.ClassifierSettings;
import io.ganserve.evaluation.translation.PairedImages;
import io.ganserve.evaluation.translation.TranslationEvaluator;
import io.ganserve.evaluation.translation.TranslationJudges;
import io.ganserve.registry.TranslationQuality;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The default CycleGAN at a smaller budget (1,500 steps, seed 1, its schedule scaled to them) on the
 * installed emoji, google ↔ twitter at 32 px: both directions come closer to the true image of the
 * other vendor than the source is, keep the round trip within 0.10, and are judged to be of the
 * target vendor more often than not. The full 6,000-step run and its figures are in
 * docs/translation.md. About six minutes on an idle core: run by hand.
 */
@Tag("quality")
class CycleGanEmojiQualityTest {

    @Test
    void translationsBeatTheIdentityBaselineAndSurviveTheRoundTrip() {
        Path emoji = DatasetLocations.DEFAULT_EMOJI_DIR;
        assumeTrue(EmojiImages.installed(emoji.resolve("google")) && EmojiImages.installed(emoji.resolve("twitter")),
                "the emoji data sets are not installed (scripts/install-emoji.sh)");
        Engine.getInstance();
        JniUtils.setGradMode(false);
        DatasetCatalog catalog = new DatasetCatalog(new DatasetLocations(emoji.resolve("no-mnist"),
                emoji.resolve("no-fashion"), emoji.resolve("no-folders"), 1000, emoji));
        EmojiImages.Named trainA = catalog.loadEmoji("emoji-google", 32, false);
        EmojiImages.Named trainB = catalog.loadEmoji("emoji-twitter", 32, false);
        EmojiImages.Named heldA = catalog.loadEmoji("emoji-google", 32, true);
        EmojiImages.Named heldB = catalog.loadEmoji("emoji-twitter", 32, true);
        CycleGanSettings settings = CycleGanSettings.defaults(32, 1).withSteps(1_500);
        try (NDManager m = NDManager.newBaseManager();
             TranslationJudges judges = TranslationJudges.train(trainA.images(), trainB.images(), heldA.images(),
                     heldB.images(), ClassifierSettings.DEFAULTS.withEpochs(5), m, GradientCollectors.lock());
             CycleGanTrainer trainer = new CycleGanTrainer(settings, trainA.images(), trainB.images(), m,
                     GradientCollectors.lock())) {
            for (long step = 0; step < settings.steps(); step++) {
                assertThat(trainer.step(step).isFinite()).as("step " + step).isTrue();
            }
            TranslationQuality q = TranslationEvaluator.evaluate(trainer.forwardGenerator(),
                    trainer.backwardGenerator(), settings.spec(), PairedImages.of(heldA, heldB), judges, m);
            System.out.println("CycleGAN 1,500 steps: " + q);
            for (TranslationQuality.Direction d : new TranslationQuality.Direction[] {q.forward(), q.backward()}) {
                assertThat(d.l1Ratio()).as("L1 to the truth / identity baseline").isLessThan(1.0);
                assertThat(d.psnr()).isGreaterThan(d.identityPsnr());
                assertThat(d.reconstructionL1()).isLessThan(0.10);
                assertThat(d.judgedTarget()).as("judged to be of the target vendor").isGreaterThan(0.5);
                assertThat(d.fd()).isLessThan(d.identityFd());
            }
        }
    }
}
