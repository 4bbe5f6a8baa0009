package io.ganserve.security;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;

/** The JWT side: how tokens are verified and which roles their scopes grant. */
final class BearerTokens {

    private BearerTokens() {}

    /**
     * A decoder that checks the signature, {@code exp}/{@code nbf} (60 s of clock skew), and the
     * issuer and audience when configured. With only an issuer, its discovery document is read at
     * the first token rather than at start-up, so the service starts while the issuer is down.
     */
    static JwtDecoder decoder(SecurityProperties.Jwt jwt) {
        if (jwt.publicKeyLocation() != null) {
            return validating(NimbusJwtDecoder.withPublicKey(publicKey(jwt)).build(), jwt);
        }
        if (hasText(jwt.jwkSetUri())) {
            return validating(NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).build(), jwt);
        }
        if (hasText(jwt.issuerUri())) {
            return new SupplierJwtDecoder(() -> validating(NimbusJwtDecoder.withIssuerLocation(jwt.issuerUri()).build(), jwt));
        }
        throw new IllegalStateException("ganserve.security.jwt.enabled is true but no signing key is configured: "
                + "set ganserve.security.jwt.public-key-location, jwk-set-uri or issuer-uri");
    }

    private static NimbusJwtDecoder validating(NimbusJwtDecoder decoder, SecurityProperties.Jwt jwt) {
        List<OAuth2TokenValidator<Jwt>> checks = new ArrayList<>();
        if (hasText(jwt.issuerUri())) {
            checks.add(new JwtIssuerValidator(jwt.issuerUri()));
        }
        if (hasText(jwt.audience())) {
            checks.add(new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
                    aud -> aud != null && aud.contains(jwt.audience())));
        }
        decoder.setJwtValidator(checks.isEmpty() ? JwtValidators.createDefault() : JwtValidators.createDefaultWithValidators(checks));
        return decoder;
    }

    /** The token's subject as the principal; the configured claim's scopes as roles. */
    static JwtAuthenticationConverter authentication(SecurityProperties.Jwt jwt) {
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(roles(jwt));
        return converter;
    }

    static Converter<Jwt, Collection<GrantedAuthority>> roles(SecurityProperties.Jwt jwt) {
        return token -> {
            List<String> scopes = new ArrayList<>();
            Object claim = token.getClaims().get(jwt.rolesClaim());
            if (claim instanceof String text) {
                scopes.addAll(List.of(text.strip().split("\\s+")));
            } else if (claim instanceof Collection<?> list) {
                list.forEach(s -> scopes.add(String.valueOf(s)));
            }
            List<GrantedAuthority> granted = new ArrayList<>();
            for (Role role : Role.values()) {
                if (scopes.contains(role.scope(jwt.scopePrefix()))) {
                    granted.add(role.authority());
                }
            }
            return granted;
        };
    }

    private static RSAPublicKey publicKey(SecurityProperties.Jwt jwt) {
        try (InputStream pem = jwt.publicKeyLocation().getInputStream()) {
            return RsaKeyConverters.x509().convert(pem);
        } catch (IOException e) {
            throw new UncheckedIOException("ganserve.security.jwt.public-key-location: cannot read "
                    + jwt.publicKeyLocation(), e);
        }
    }

    private static boolean hasText(String s) {
        return s != null && !s.isBlank();
    }
}
