package io.ganserve.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;

/**
 * The JWT decoders for jwk-set-uri and issuer-uri against an identity provider played by a
 * loopback HTTP server (discovery document and JWK set), and the scope-to-role mapping.
 */
class BearerTokensTest {

    static final KeyPair SIGNER = TestTokens.rsaKeyPair();
    static final KeyPair STRANGER = TestTokens.rsaKeyPair();

    HttpServer idp;
    String issuer;
    final AtomicInteger discoveries = new AtomicInteger();

    @BeforeEach
    void identityProvider() throws IOException {
        idp = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realm";
        String jwks = new JWKSet(new RSAKey.Builder((RSAPublicKey) SIGNER.getPublic()).keyID(TestTokens.KEY_ID).build()).toString();
        idp.createContext("/realm/.well-known/openid-configuration", exchange -> {
            discoveries.incrementAndGet();
            respond(exchange, "{\"issuer\":\"" + issuer + "\",\"jwks_uri\":\"" + issuer + "/jwks\"}");
        });
        idp.createContext("/realm/jwks", exchange -> respond(exchange, jwks));
        idp.start();
    }

    @AfterEach
    void stop() {
        idp.stop(0);
    }

    static void respond(com.sun.net.httpserver.HttpExchange exchange, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
    }

    static SecurityProperties.Jwt jwt(String jwkSetUri, String issuerUri, String audience) {
        return new SecurityProperties.Jwt(true, null, jwkSetUri, issuerUri, audience, "scope", "ganserve.");
    }

    static String token(KeyPair signer, String issuer) {
        return TestTokens.token(signer, "ganserve.write", Instant.now().plusSeconds(300), "ganserve", issuer);
    }

    @Test
    void issuerDiscoveryWaitsForTheFirstTokenAndChecksIss() {
        JwtDecoder decoder = BearerTokens.decoder(jwt(null, issuer, "ganserve"));
        assertThat(discoveries).as("nothing fetched at start-up").hasValue(0);

        Jwt decoded = decoder.decode(token(SIGNER, issuer));
        assertThat(decoded.getSubject()).isEqualTo("alice");
        assertThat(discoveries).hasValue(1);
        assertThatThrownBy(() -> decoder.decode(token(SIGNER, "https://elsewhere.example")))
                .isInstanceOf(BadJwtException.class).hasMessageContaining("iss");
        assertThatThrownBy(() -> decoder.decode(token(STRANGER, issuer))).isInstanceOf(BadJwtException.class);
    }

    @Test
    void aServiceWithAnUnreachableIssuerStillStarts() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        JwtDecoder decoder = BearerTokens.decoder(jwt(null, "http://127.0.0.1:" + closed + "/realm", null));
        assertThatThrownBy(() -> decoder.decode(token(SIGNER, null))).isInstanceOf(RuntimeException.class);
    }

    @Test
    void jwkSetUriVerifiesSignaturesAndAudience() {
        JwtDecoder decoder = BearerTokens.decoder(jwt(issuer + "/jwks", null, "ganserve"));
        assertThat(decoder.decode(token(SIGNER, null)).getSubject()).isEqualTo("alice");
        assertThatThrownBy(() -> decoder.decode(token(STRANGER, null))).isInstanceOf(BadJwtException.class);
        JwtDecoder otherAudience = BearerTokens.decoder(jwt(issuer + "/jwks", null, "another-service"));
        assertThatThrownBy(() -> otherAudience.decode(token(SIGNER, null))).isInstanceOf(BadJwtException.class)
                .hasMessageContaining("aud");
    }

    @Test
    void enabledWithoutAKeySourceStopsTheStart() {
        assertThatThrownBy(() -> BearerTokens.decoder(jwt(null, null, null)))
                .hasMessageContaining("public-key-location, jwk-set-uri or issuer-uri");
    }

    @Test
    void scopesWithThePrefixGrantRolesOthersNothing() {
        Jwt token = Jwt.withTokenValue("t").header("alg", "RS256")
                .claim("scope", "openid ganserve.write ganserve.admin ganserve.read")
                .claim("roles", List.of("write", "metrics"))
                .build();
        SecurityProperties.Jwt byScope = jwt(null, issuer, null);
        assertThat(BearerTokens.roles(byScope).convert(token)).extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("ROLE_WRITE", "ROLE_READ");
        SecurityProperties.Jwt byRoles = new SecurityProperties.Jwt(true, null, null, issuer, null, "roles", "");
        assertThat(BearerTokens.roles(byRoles).convert(token)).extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder("ROLE_WRITE", "ROLE_METRICS");
        SecurityProperties.Jwt missing = new SecurityProperties.Jwt(true, null, null, issuer, null, "groups", "");
        assertThat(BearerTokens.roles(missing).convert(token)).isEmpty();
    }
}
