package io.ganserve.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.ganserve.data.ImageDataset;
import io.ganserve.data.ImageFolderLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The soak bench's arithmetic and set-up; the soak itself is a benchmark, run by hand. */
class SoakTest {

    @Test
    void slopeIsFittedOverTheSamplesAfterTheWarmUpOnly() {
        List<SoakReport.MemorySample> series = new ArrayList<>();
        // a steep start (allocator and JIT warming up), then 1 MB more every 10,000 requests
        series.add(sample(0, 500));
        series.add(sample(2_000, 900));
        for (int done = 5_000; done <= 50_000; done += 5_000) {
            series.add(sample(done, 1000 + (done - 5_000) / 10_000.0));
        }
        assertThat(SoakReport.rssSlopePer10k(series, 5_000)).isCloseTo(1.0, within(1e-9));
        assertThat(SoakReport.rssSlopePer10k(series, 0)).isGreaterThan(1.0);
        assertThat(SoakReport.rssSlopePer10k(series.subList(0, 3), 5_000)).isNaN();
    }

    @Test
    void percentilesAreNearestRankOverSortedNanos() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * 1_000_000L; // 1 ms ... 100 ms
        }
        assertThat(SoakReport.percentile(sorted, 0.50)).isEqualTo(50.0);
        assertThat(SoakReport.percentile(sorted, 0.99)).isEqualTo(99.0);
        assertThat(SoakReport.percentile(sorted, 1.0)).isEqualTo(100.0);
        assertThat(SoakReport.percentile(new long[] {7_000_000L}, 0.9)).isEqualTo(7.0);
    }

    @Test
    void heapIsSummedOverItsPoolsFromTheScrape() {
        Map<String, Double> scrape = Map.of(
                "jvm_memory_used_bytes{application=\"ganserve\",area=\"heap\",id=\"G1 Eden Space\"}", 100.0,
                "jvm_memory_used_bytes{application=\"ganserve\",area=\"heap\",id=\"G1 Old Gen\"}", 50.0,
                "jvm_memory_used_bytes{application=\"ganserve\",area=\"nonheap\",id=\"Metaspace\"}", 7.0,
                "jvm_memory_used_bytes_other{area=\"heap\"}", 1000.0,
                "jvm_gc_live_data_size_bytes{application=\"ganserve\"}", 42.0);
        assertThat(SoakReport.sum(scrape, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(150);
        assertThat(SoakReport.sum(scrape, "jvm_gc_live_data_size_bytes", "")).isEqualTo(42);
        assertThat(SoakReport.sum(scrape, "jvm_memory_committed_bytes", "area=\"heap\"")).isEqualTo(-1);
    }

    @Test
    void generatedShapesAreADatasetTheServiceLoads(@TempDir Path root) throws Exception {
        String name = Soak.generateShapes(root);
        ImageDataset data = ImageFolderLoader.load(name, root.resolve(name), 32);
        assertThat(data.size()).isEqualTo(512);
        assertThat(data.sampleShape()).containsExactly(1, 32, 32);
        assertThat(data.numClasses()).isZero();
    }

    @Test
    void apiKeyDigestIsSha256Hex() {
        assertThat(SoakServer.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    private static SoakReport.MemorySample sample(int done, double rssMb) {
        return new SoakReport.MemorySample(done / 100.0, done, (long) (rssMb * 1048576), -1, -1, -1);
    }

    @Test
    void mixedSoakTalliesStatusesPerKindAndOverall() {
        MixedSoak.Tally tally = new MixedSoak.Tally();
        tally.record("samples n=16", 200, 3_000_000);
        tally.record("samples n=16", 200, 1_000_000);
        tally.record("samples n=1024", 503, 2_000_000);
        tally.record("evaluations", 202, 5_000_000);
        assertThat(tally.byStatus()).containsExactly(Map.entry(200, 2), Map.entry(202, 1), Map.entry(503, 1));
        assertThat(tally.byStatus("samples n=16")).containsExactly(Map.entry(200, 2));
        assertThat(tally.sortedNanos("samples n=16")).containsExactly(1_000_000L, 3_000_000L);
        assertThat(tally.kinds()).containsExactlyInAnyOrder("samples n=16", "samples n=1024", "evaluations");
    }

    @Test
    void mixedSoakPassesOnlyWithoutServerErrorsOrConnectionErrorsAndWithinTheLimit() {
        long limit = 3L << 30;
        MixedSoak.Tally clean = new MixedSoak.Tally();
        clean.record("samples n=1", 200, 1);
        clean.record("interpolations", 429, 1);
        assertThat(MixedSoak.passed(clean, limit, limit)).isTrue();
        assertThat(MixedSoak.passed(clean, limit + 1, limit)).isFalse();

        MixedSoak.Tally busy = new MixedSoak.Tally();
        busy.record("samples n=1024", 503, 1);
        assertThat(MixedSoak.passed(busy, 1, limit)).isFalse();

        MixedSoak.Tally dropped = new MixedSoak.Tally();
        dropped.record("samples n=1024", -1, 1);
        assertThat(MixedSoak.passed(dropped, 1, limit)).isFalse();
    }

    @Test
    void mixedSoakJudgesFinalStatusesAndCountsFirstAttempt503sApart() {
        long limit = 3L << 30;
        MixedSoak.Tally retried = new MixedSoak.Tally();
        retried.record("samples n=1024", 503, 200, 1); // busy at first, served on its retry
        retried.record("samples n=1024", 503, 200, 1);
        retried.record("interpolations", 429, 200, 1);
        retried.record("samples n=1", 200, 1);
        assertThat(retried.byStatus()).containsExactly(Map.entry(200, 4));
        assertThat(retried.firstAttempts(503)).isEqualTo(2);
        assertThat(retried.firstAttempts(429)).isEqualTo(1);
        assertThat(retried.firstAttemptsByKind(503)).containsExactly(Map.entry("samples n=1024", 2));
        assertThat(MixedSoak.passed(retried, 1, limit)).as("judged by the final status").isTrue();

        MixedSoak.Tally stillBusy = new MixedSoak.Tally();
        stillBusy.record("samples n=1024", 503, 503, 1); // 503 after every retry
        assertThat(MixedSoak.passed(stillBusy, 1, limit)).isFalse();
        assertThat(stillBusy.firstAttempts(503)).isEqualTo(1);
    }

    @Test
    void memorySizesReadAsSpringDoes() {
        assertThat(MixedSoak.parseBytes("3GB")).isEqualTo(3L << 30);
        assertThat(MixedSoak.parseBytes("768mb")).isEqualTo(768L << 20);
        assertThat(MixedSoak.parseBytes("1024")).isEqualTo(1024L);
    }
}
