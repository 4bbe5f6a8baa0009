package io.ganserve.api;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * A token bucket per client on the public sampling endpoints: reads need no key, so without a
 * rate anyone could keep the generators busy for everyone. The memory budget keeps the process
 * alive whatever the load; this keeps one client from taking all of it. Runs after the security
 * filters, so a client with a key is counted by its key wherever it connects from.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 100)
class SamplingRateLimitFilter extends OncePerRequestFilter {

    private static final Set<String> LIMITED = Set.of("/samples", "/samples/nearest", "/interpolations");

    private final RateLimitProperties properties;
    private final HandlerExceptionResolver resolver;
    private final Map<String, Bucket> buckets;

    SamplingRateLimitFilter(RateLimitProperties properties,
                            @Qualifier("handlerExceptionResolver") HandlerExceptionResolver resolver) {
        this.properties = properties;
        this.resolver = resolver;
        int remembered = properties.clients();
        this.buckets = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > remembered;
            }
        };
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        // POST /samples (a client's own latents) costs what GET /samples does, and counts the same
        boolean sampling = "GET".equals(request.getMethod()) ? LIMITED.contains(path)
                : "POST".equals(request.getMethod()) && path.equals("/samples");
        return properties.requestsPerSecond() == 0 || !sampling;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        ConsumptionProbe probe = bucketOf(client(request)).tryConsumeAndReturnRemaining(1);
        if (!probe.isConsumed()) {
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill() + 999_999_999L));
            resolver.resolveException(request, response, null, new RateLimitedException("more than "
                    + properties.requestsPerSecond() + " sampling requests a second (bursts of " + properties.burst()
                    + ") from this client; retry after " + seconds + " s (ganserve.api.rate-limit)", seconds));
            return;
        }
        chain.doFilter(request, response);
    }

    private static String client(HttpServletRequest request) {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.isAuthenticated() && !(auth instanceof AnonymousAuthenticationToken)) {
            return "key:" + auth.getName();
        }
        return "address:" + request.getRemoteAddr();
    }

    private synchronized Bucket bucketOf(String client) {
        return buckets.computeIfAbsent(client, c -> Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(properties.burst())
                        .refillGreedy(properties.requestsPerSecond(), Duration.ofSeconds(1)).build())
                .build());
    }
}
