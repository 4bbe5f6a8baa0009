package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.ganserve.support.HttpApi;
import io.ganserve.support.ServiceOnTempData;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** A dataset's preview loads its data under a heap reservation, and one that could never fit is refused, not loaded. */
class DatasetPreviewBudgetTest extends ServiceOnTempData {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        // a request heap budget of 1/100,000 of -Xmx: some hundreds of KiB, below any preview's price
        registry.add("ganserve.resources.heap-share", () -> "0.00001");
    }

    @Test
    void aPreviewPricedAboveTheHeapBudgetIs422NamingEstimateAndBudget() {
        HttpApi api = new HttpApi(port);
        HttpResponse<String> refused = api.get("/datasets/ring8/preview.png");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        JsonNode problem = api.json(refused);
        assertThat(problem.get("pool").asString()).isEqualTo("heap");
        assertThat(problem.get("estimateBytes").asLong()).isGreaterThan(problem.get("budgetBytes").asLong());
        assertThat(problem.get("detail").asString()).contains("preview of dataset ring8");
        assertThat(api.get("/datasets/no-such-set/preview.png").statusCode()).isEqualTo(404);
    }
}
