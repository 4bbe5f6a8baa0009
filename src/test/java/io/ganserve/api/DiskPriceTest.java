package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.engine.Bytes;
import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The disk price at {@code POST /jobs} over HTTP: a reserve larger than any disk makes every job's
 * files too many for the free space, whatever this machine has, and nothing is queued.
 */
class DiskPriceTest extends ServiceOnTempData {

    private static final long RESERVE = 1_000_000L * 1024 * 1024 * 1024 * 1024; // 1,000,000 TB

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("ganserve.resources.min-free-disk", () -> "1000000TB");
        registry.add("ganserve.roles.training", () -> "false");
    }

    @Test
    void aJobWhoseFilesExceedTheFreeDiskIsRefusedWith507NamingTheBytesItNeeds() throws Exception {
        HttpApi api = new HttpApi(port);
        JsonNode small = refused(api, "{\"dataset\":\"ring8\",\"steps\":10,\"hiddenUnits\":16,\"hiddenLayers\":1}");
        JsonNode large = refused(api, "{\"dataset\":\"ring8\",\"steps\":10,\"hiddenUnits\":512,\"hiddenLayers\":4}");

        long needed = small.get("neededBytes").asLong();
        assertThat(needed).isPositive();
        assertThat(small.get("detail").asString()).contains("need about " + Bytes.format(needed))
                .contains("ganserve.resources.min-free-disk");
        assertThat(small.get("minFreeBytes").asLong()).isEqualTo(RESERVE);
        long free = Files.getFileStore(data).getUsableSpace();
        // the same file system, measured a moment apart (other work on the machine writes meanwhile)
        assertThat(small.get("freeBytes").asLong()).isBetween(free - (1L << 30), free + (1L << 30));
        // the price is the job's: larger networks, larger checkpoints
        assertThat(large.get("neededBytes").asLong()).isGreaterThan(needed);
        assertThat(api.json(api.get("/jobs")).size()).as("nothing was queued").isZero();
    }

    private static JsonNode refused(HttpApi api, String job) {
        HttpResponse<String> r = api.post("/jobs", job);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(507);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/problem+json"));
        return api.json(r);
    }
}
