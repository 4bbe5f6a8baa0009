package io.ganserve.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/** RSA key pairs and JWTs signed with them, made in the test: nothing leaves the machine. */
final class TestTokens {

    static final String KEY_ID = "k1";

    private TestTokens() {}

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A token for subject alice; {@code scope} as a string or a list, {@code issuer} may be null. */
    static String token(KeyPair signer, Object scope, Instant expires, String audience, String issuer) {
        NimbusJwtEncoder encoder = NimbusJwtEncoder
                .withKeyPair((RSAPublicKey) signer.getPublic(), (RSAPrivateKey) signer.getPrivate())
                // one kid for every pair: a stranger's token is refused for its signature, not its kid
                .jwkPostProcessor(jwk -> jwk.keyID(KEY_ID))
                .build();
        JwtClaimsSet.Builder claims = JwtClaimsSet.builder()
                .subject("alice")
                .audience(List.of(audience))
                .issuedAt(expires.minus(Duration.ofMinutes(10)))
                .expiresAt(expires)
                .claim("scope", scope);
        if (issuer != null) {
            claims.issuer(issuer);
        }
        return encoder.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), claims.build()))
                .getTokenValue();
    }

    /** The public half as {@code -----BEGIN PUBLIC KEY-----} PEM, what public-key-location reads. */
    static Path writePublicKeyPem(KeyPair pair, Path file) {
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(pair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        try {
            return Files.writeString(file, pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
