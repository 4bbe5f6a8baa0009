package io.ganserve.security;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The API keys of {@code ganserve.security.api-keys}, held as SHA-256 digests.
 *
 * <p>A presented key is hashed once and compared with every configured digest by
 * {@link MessageDigest#isEqual}, which takes the same time wherever the bytes differ, and the
 * loop does not stop at a match: the answer's timing says nothing about the stored hashes.
 *
 * <p>When no usable key may write and bearer tokens are off, nobody could ever start a job, so a
 * random key with every role is generated for this run and logged once, as Spring Security does
 * with its generated password.
 */
public final class ConfiguredApiKeys implements ApiKeyStore {

    private static final Logger log = LoggerFactory.getLogger(ConfiguredApiKeys.class);
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");
    static final String GENERATED_NAME = "generated";

    private record Entry(String name, byte[] digest, Set<Role> roles, boolean revoked) {}

    private final List<Entry> entries;

    private ConfiguredApiKeys(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Checks every configured key (refusing the start with a message that names the entry, never
     * its value) and generates one when none could write.
     */
    public static ConfiguredApiKeys from(SecurityProperties properties, SecureRandom random) {
        List<Entry> entries = new ArrayList<>();
        List<SecurityProperties.ApiKey> keys = properties.apiKeys();
        for (int i = 0; i < keys.size(); i++) {
            SecurityProperties.ApiKey key = keys.get(i);
            String where = "ganserve.security.api-keys[" + i + "]";
            if (key.name() == null || key.name().isBlank()) {
                throw new IllegalStateException(where + ".name: must be given (who holds the key)");
            }
            where += " (" + key.name() + ")";
            if (key.sha256() == null || !SHA256_HEX.matcher(key.sha256().strip()).matches()) {
                throw new IllegalStateException(where + ".sha256: must be the key's SHA-256 as 64 hex digits, "
                        + "not the key itself: printf %s \"$KEY\" | sha256sum");
            }
            if (key.roles().isEmpty()) {
                throw new IllegalStateException(where + ".roles: must name at least one of " + EnumSet.allOf(Role.class));
            }
            byte[] digest = HexFormat.of().parseHex(key.sha256().strip().toLowerCase());
            for (Entry earlier : entries) {
                if (MessageDigest.isEqual(earlier.digest(), digest)) {
                    throw new IllegalStateException(where + ".sha256: the same key as '" + earlier.name()
                            + "'; one key, one entry");
                }
            }
            entries.add(new Entry(key.name(), digest, Set.copyOf(key.roles()), key.revoked()));
        }
        boolean someoneCanWrite = properties.jwt().enabled()
                || entries.stream().anyMatch(e -> !e.revoked() && e.roles().contains(Role.WRITE));
        if (!someoneCanWrite) {
            entries.add(generate(random));
        }
        return new ConfiguredApiKeys(entries);
    }

    private static Entry generate(SecureRandom random) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String key = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        log.warn("""

                No API key may write (ganserve.security.api-keys) and JWT bearer tokens are off.
                Using generated API key for this run only: {}
                It has the roles WRITE, READ and METRICS (send it as X-API-Key: <key>) and changes at every start.
                Configure your own keys by their SHA-256 for anything but a trial (docs/security.md).
                """, key);
        return new Entry(GENERATED_NAME, ApiKeyHash.digest(key), EnumSet.allOf(Role.class), false);
    }

    @Override
    public Lookup find(String presentedKey) {
        byte[] digest = ApiKeyHash.digest(presentedKey);
        Entry match = null;
        for (Entry entry : entries) {
            if (MessageDigest.isEqual(entry.digest(), digest)) {
                match = entry;
            }
        }
        if (match == null) {
            return new Unknown();
        }
        return match.revoked() ? new Revoked(match.name()) : new Valid(match.name(), match.roles());
    }
}
