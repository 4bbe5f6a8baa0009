package io.ganserve.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ganserve.api.rate-limit.*}: how often one client may call the public sampling endpoints
 * ({@code /samples}, {@code /samples/nearest}, {@code /interpolations}). A client is its API key
 * when it sends one, else its address.
 *
 * @param requestsPerSecond the steady rate; 0 turns the limit off
 * @param burst requests a quiet client may send at once
 * @param clients clients remembered at once; the least recently seen is forgotten first
 */
@ConfigurationProperties("ganserve.api.rate-limit")
public record RateLimitProperties(
        @DefaultValue("20") int requestsPerSecond,
        @DefaultValue("40") int burst,
        @DefaultValue("10000") int clients) {

    public RateLimitProperties {
        if (requestsPerSecond < 0 || burst < 1 || clients < 1) {
            throw new IllegalArgumentException("ganserve.api.rate-limit needs requests-per-second >= 0, burst >= 1 "
                    + "and clients >= 1");
        }
    }
}
