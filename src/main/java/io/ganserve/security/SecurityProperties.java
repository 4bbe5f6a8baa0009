package io.ganserve.security;

import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * {@code ganserve.security.*}. Keys are checked when the service starts ({@link ConfiguredApiKeys}),
 * not by bean validation here: Boot's binding failure report prints the offending value, and a
 * key pasted by mistake where its hash belongs must not end up in a log.
 *
 * @param publicReads GETs (jobs, models, samples, interpolations, datasets) need no credential;
 *     false: they need the READ role
 * @param apiKeys the accepted API keys, by the SHA-256 of the key
 * @param jwt OAuth2 bearer tokens (JWT), accepted besides API keys when enabled
 */
@ConfigurationProperties("ganserve.security")
public record SecurityProperties(
        @DefaultValue("true") boolean publicReads,
        @DefaultValue List<ApiKey> apiKeys,
        @DefaultValue Jwt jwt) {

    /**
     * One API key.
     *
     * @param name who or what holds it; shown in refusals and logs, never the key itself
     * @param sha256 the key's SHA-256 in hex: {@code printf %s "$KEY" | sha256sum}
     * @param roles what the key may do
     * @param revoked a revoked key is refused with its own message (rather than as unknown), so its
     *     holder learns why
     */
    public record ApiKey(String name, String sha256, @DefaultValue Set<Role> roles, @DefaultValue("false") boolean revoked) {}

    /**
     * JWT bearer tokens. The signing keys come from, in this order of preference,
     * {@code public-key-location}, {@code jwk-set-uri}, or the issuer's discovery document.
     *
     * @param enabled accept {@code Authorization: Bearer <JWT>}
     * @param publicKeyLocation an RSA public key, PEM ({@code -----BEGIN PUBLIC KEY-----}); works offline
     * @param jwkSetUri the authorization server's JWK set
     * @param issuerUri the expected {@code iss}; also where the JWK set is discovered when neither
     *     of the above is given (fetched at the first token, not at start-up)
     * @param audience when set, tokens must list it in {@code aud}
     * @param rolesClaim the claim holding the token's scopes: a space-separated string or a list
     * @param scopePrefix a scope of this prefix plus a role's name in lower case grants the role
     *     ({@code ganserve.write}, {@code ganserve.read}, {@code ganserve.metrics})
     */
    public record Jwt(
            @DefaultValue("false") boolean enabled,
            @Nullable Resource publicKeyLocation,
            @Nullable String jwkSetUri,
            @Nullable String issuerUri,
            @Nullable String audience,
            @DefaultValue("scope") String rolesClaim,
            @DefaultValue("ganserve.") String scopePrefix) {}
}
