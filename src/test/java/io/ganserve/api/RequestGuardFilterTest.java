package io.ganserve.api;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.unit.DataSize;

/** The filter's in-memory copy of a chunked body behaves as a servlet input stream should. */
class RequestGuardFilterTest {

    @Test
    void aChunkedBodyReadIntoMemoryReachesBlockingAndAsyncReadersWhole() throws Exception {
        byte[] body = "{\"dataset\":\"ring8\"}".getBytes(StandardCharsets.UTF_8);
        MockHttpServletRequest chunked = new MockHttpServletRequest("POST", "/jobs") {
            @Override
            public long getContentLengthLong() {
                return -1; // Transfer-Encoding: chunked declares no length
            }
        };
        chunked.addHeader("Transfer-Encoding", "chunked");
        chunked.setContentType("application/json");
        chunked.setContent(body);
        MockFilterChain chain = new MockFilterChain();
        new RequestGuardFilter(new ApiProperties(DataSize.ofKilobytes(64)), (request, response, handler, e) -> null)
                .doFilter(chunked, new MockHttpServletResponse(), chain);

        HttpServletRequest passedOn = (HttpServletRequest) chain.getRequest();
        assertThat(passedOn).isNotSameAs(chunked);
        assertThat(passedOn.getInputStream().readAllBytes()).isEqualTo(body);

        ServletInputStream stream = passedOn.getInputStream();
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        boolean[] allRead = {false};
        stream.setReadListener(new ReadListener() {
            @Override
            public void onDataAvailable() throws IOException {
                while (stream.isReady() && !stream.isFinished()) {
                    seen.write(stream.read());
                }
            }

            @Override
            public void onAllDataRead() {
                allRead[0] = true;
            }

            @Override
            public void onError(Throwable t) {
                throw new AssertionError(t);
            }
        });
        assertThat(seen.toByteArray()).isEqualTo(body);
        assertThat(allRead[0]).isTrue();
    }
}
