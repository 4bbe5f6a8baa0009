package io.ganserve.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The SHA-256 a key is configured by: the same bytes as {@code printf %s "$KEY" | sha256sum}. */
public final class ApiKeyHash {

    private ApiKeyHash() {}

    /** Lower-case hex, as {@code sha256sum} prints it. */
    public static String hex(String key) {
        return HexFormat.of().formatHex(digest(key));
    }

    static byte[] digest(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
