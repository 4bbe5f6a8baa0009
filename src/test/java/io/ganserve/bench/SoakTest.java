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
        List<Soak.MemorySample> series = new ArrayList<>();
        // a steep start (allocator and JIT warming up), then 1 MB more every 10,000 requests
        series.add(sample(0, 500));
        series.add(sample(2_000, 900));
        for (int done = 5_000; done <= 50_000; done += 5_000) {
            series.add(sample(done, 1000 + (done - 5_000) / 10_000.0));
        }
        assertThat(Soak.rssSlopePer10k(series, 5_000)).isCloseTo(1.0, within(1e-9));
        assertThat(Soak.rssSlopePer10k(series, 0)).isGreaterThan(1.0);
        assertThat(Soak.rssSlopePer10k(series.subList(0, 3), 5_000)).isNaN();
    }

    @Test
    void percentilesAreNearestRankOverSortedNanos() {
        long[] sorted = new long[100];
        for (int i = 0; i < 100; i++) {
            sorted[i] = (i + 1) * 1_000_000L; // 1 ms ... 100 ms
        }
        assertThat(Soak.percentile(sorted, 0.50)).isEqualTo(50.0);
        assertThat(Soak.percentile(sorted, 0.99)).isEqualTo(99.0);
        assertThat(Soak.percentile(sorted, 1.0)).isEqualTo(100.0);
        assertThat(Soak.percentile(new long[] {7_000_000L}, 0.9)).isEqualTo(7.0);
    }

    @Test
    void heapIsSummedOverItsPoolsFromTheScrape() {
        Map<String, Double> scrape = Map.of(
                "jvm_memory_used_bytes{application=\"ganserve\",area=\"heap\",id=\"G1 Eden Space\"}", 100.0,
                "jvm_memory_used_bytes{application=\"ganserve\",area=\"heap\",id=\"G1 Old Gen\"}", 50.0,
                "jvm_memory_used_bytes{application=\"ganserve\",area=\"nonheap\",id=\"Metaspace\"}", 7.0,
                "jvm_memory_used_bytes_other{area=\"heap\"}", 1000.0,
                "jvm_gc_live_data_size_bytes{application=\"ganserve\"}", 42.0);
        assertThat(Soak.sum(scrape, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(150);
        assertThat(Soak.sum(scrape, "jvm_gc_live_data_size_bytes", "")).isEqualTo(42);
        assertThat(Soak.sum(scrape, "jvm_memory_committed_bytes", "area=\"heap\"")).isEqualTo(-1);
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
        assertThat(Soak.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    private static Soak.MemorySample sample(int done, double rssMb) {
        return new Soak.MemorySample(done / 100.0, done, (long) (rssMb * 1048576), -1, -1, -1);
    }
}
