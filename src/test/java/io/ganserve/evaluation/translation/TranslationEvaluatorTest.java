package io.ganserve.evaluation.translation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import io.ganserve.data.DatasetCatalog;
import io.ganserve.data.DatasetLocations;
import io.ganserve.data.EmojiImages;
import io.ganserve.engine.GradientCollectors;
import io.ganserve.evaluation.ClassifierSettings;
import io.ganserve.gan.cyclegan.TranslatorSpec;
import io.ganserve.registry.TranslationQuality;
import io.ganserve.support.FakeEmoji;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scores against translators whose answers are known: leaving images alone must score exactly
 * the identity baseline, and the true translation (fake twitter = google with red and blue
 * swapped) must score no pixel error, a perfect round trip and a target-vendor verdict.
 */
class TranslationEvaluatorTest {

    @TempDir
    static Path dir;

    private static NDManager manager;
    private static TranslationJudges judges;
    private static PairedImages pairs;
    private static final TranslatorSpec SPEC = new TranslatorSpec(3, 32, 4, 0, 4);

    @BeforeAll
    static void judges() throws IOException {
        Engine.getInstance();
        FakeEmoji.write(dir, 240);
        DatasetCatalog catalog = new DatasetCatalog(new DatasetLocations(dir.resolve("no-mnist"),
                dir.resolve("no-fashion"), dir.resolve("folders"), 1000, dir));
        EmojiImages.Named trainA = catalog.loadEmoji("emoji-google", 32, false);
        EmojiImages.Named trainB = catalog.loadEmoji("emoji-twitter", 32, false);
        EmojiImages.Named heldA = catalog.loadEmoji("emoji-google", 32, true);
        EmojiImages.Named heldB = catalog.loadEmoji("emoji-twitter", 32, true);
        manager = NDManager.newBaseManager();
        judges = TranslationJudges.train(trainA.images(), trainB.images(), heldA.images(), heldB.images(),
                new ClassifierSettings(3, 32, 2e-3f, 1), manager, GradientCollectors.lock());
        pairs = PairedImages.of(heldA, heldB);
    }

    @AfterAll
    static void close() {
        judges.close();
        manager.close();
    }

    @Test
    void theHeldOutImagesPairUpByNameAndTheJudgesTellTheVendorsApart() {
        assertThat(pairs.size()).isGreaterThanOrEqualTo(15); // a tenth of 240, by the names' hash
        assertThat(judges.vendorAccuracy()).isGreaterThan(0.95); // reddish vs bluish
        assertThat(judges.categoryAccuracy()).isGreaterThan(0.9); // discs, squares, bars
    }

    @Test
    void leavingTheImagesAloneScoresTheIdentityBaselineExactly() {
        TranslationQuality q = TranslationEvaluator.evaluate(Blocks.identityBlock(), Blocks.identityBlock(), SPEC,
                pairs, judges, manager);
        for (TranslationQuality.Direction d : new TranslationQuality.Direction[] {q.forward(), q.backward()}) {
            assertThat(d.l1()).isEqualTo(d.identityL1());
            assertThat(d.l1Ratio()).isEqualTo(1.0);
            assertThat(d.psnr()).isEqualTo(d.identityPsnr());
            assertThat(d.reconstructionL1()).isZero();
            assertThat(d.fd()).isCloseTo(d.identityFd(), within(1e-6));
            assertThat(d.judgedTarget()).isEqualTo(d.identityJudgedTarget());
            assertThat(d.identityL1()).isGreaterThan(0.02); // the vendors do differ
        }
        assertThat(q.forward().judgedTarget()).isLessThan(0.1); // untranslated google is judged google
    }

    @Test
    void theTrueTranslationScoresNoErrorAndIsJudgedToBeOfTheTarget() {
        LambdaBlock swap = new LambdaBlock(x -> new NDList(x.singletonOrThrow().flip(1))); // RGB -> BGR
        TranslationQuality q = TranslationEvaluator.evaluate(swap, swap, SPEC, pairs, judges, manager);
        for (TranslationQuality.Direction d : new TranslationQuality.Direction[] {q.forward(), q.backward()}) {
            assertThat(d.l1()).isLessThan(0.01); // 8-bit rounding of the PNGs at most
            assertThat(d.l1Ratio()).isLessThan(0.1);
            assertThat(d.psnr()).isGreaterThan(d.identityPsnr() + 10);
            assertThat(d.reconstructionL1()).isLessThan(1e-6);
            assertThat(d.fd()).isLessThan(d.identityFd());
            assertThat(d.judgedTarget()).isGreaterThan(0.9);
        }
    }

    @Test
    void pixelErrorsAreMeasuredOnZeroToOne() {
        float[] black = {-1, -1, -1, -1};
        float[] white = {1, 1, 1, 1};
        assertThat(TranslationEvaluator.meanAbs(black, white)).isEqualTo(1.0);
        assertThat(TranslationEvaluator.meanPsnr(black, white, 4)).isEqualTo(0.0); // MSE 1 on [0, 1]
        float[] grey = {0, 0, 0, 0};
        assertThat(TranslationEvaluator.meanPsnr(grey, white, 4)).isCloseTo(10 * Math.log10(4), within(1e-9));
    }
}
