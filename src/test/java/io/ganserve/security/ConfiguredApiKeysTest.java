package io.ganserve.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Key checks at start-up, lookups, and the generated key when nobody could write. */
@ExtendWith(OutputCaptureExtension.class)
class ConfiguredApiKeysTest {

    static final SecurityProperties.Jwt NO_JWT = new SecurityProperties.Jwt(false, null, null, null, null, "scope", "ganserve.");

    static SecurityProperties properties(SecurityProperties.ApiKey... keys) {
        return new SecurityProperties(true, List.of(keys), NO_JWT);
    }

    static SecurityProperties.ApiKey key(String name, String plaintext, boolean revoked, Role... roles) {
        return new SecurityProperties.ApiKey(name, ApiKeyHash.hex(plaintext), Set.of(roles), revoked);
    }

    @Test
    void hashMatchesSha256sum() {
        // printf %s 'ganserve-test-admin-key' | sha256sum
        assertThat(ApiKeyHash.hex("ganserve-test-admin-key"))
                .isEqualTo("87472b37354470b46373a132f6ec4ab1f4e50b640fea4a39c1148ec9af5729ee");
    }

    @Test
    void findsValidRevokedAndUnknownKeys(CapturedOutput output) {
        ConfiguredApiKeys keys = ConfiguredApiKeys.from(properties(
                key("ci", "k-ci", false, Role.WRITE, Role.READ),
                key("old", "k-old", true, Role.WRITE)), new SecureRandom());
        assertThat(keys.find("k-ci")).isEqualTo(new ApiKeyStore.Valid("ci", Set.of(Role.WRITE, Role.READ)));
        assertThat(keys.find("k-old")).isEqualTo(new ApiKeyStore.Revoked("old"));
        assertThat(keys.find("k-ci ")).isInstanceOf(ApiKeyStore.Unknown.class);
        assertThat(keys.find(ApiKeyHash.hex("k-ci"))).isInstanceOf(ApiKeyStore.Unknown.class);
        assertThat(output).doesNotContain("generated API key");
    }

    @Test
    void upperCaseHexAndSurroundingSpaceAreAccepted() {
        SecurityProperties.ApiKey upper = new SecurityProperties.ApiKey("ci", " " + ApiKeyHash.hex("k").toUpperCase() + "\n",
                Set.of(Role.WRITE), false);
        assertThat(ConfiguredApiKeys.from(properties(upper), new SecureRandom()).find("k"))
                .isInstanceOf(ApiKeyStore.Valid.class);
    }

    @Test
    void aPlaintextKeyWhereTheHashBelongsStopsTheStartWithoutBeingEchoed() {
        SecurityProperties.ApiKey pasted = new SecurityProperties.ApiKey("admin", "my-secret-key", Set.of(Role.WRITE), false);
        assertThatThrownBy(() -> ConfiguredApiKeys.from(properties(pasted), new SecureRandom()))
                .hasMessageContaining("ganserve.security.api-keys[0] (admin).sha256")
                .hasMessageContaining("sha256sum")
                .hasMessageNotContaining("my-secret-key");
    }

    @Test
    void missingNameOrRolesAndDuplicatesStopTheStart() {
        assertThatThrownBy(() -> ConfiguredApiKeys.from(properties(
                new SecurityProperties.ApiKey(" ", ApiKeyHash.hex("a"), Set.of(Role.READ), false)), new SecureRandom()))
                .hasMessageContaining("api-keys[0].name");
        assertThatThrownBy(() -> ConfiguredApiKeys.from(properties(
                new SecurityProperties.ApiKey("x", ApiKeyHash.hex("a"), Set.of(), false)), new SecureRandom()))
                .hasMessageContaining("api-keys[0] (x).roles");
        assertThatThrownBy(() -> ConfiguredApiKeys.from(properties(
                key("a", "same", false, Role.READ), key("b", "same", true, Role.WRITE)), new SecureRandom()))
                .hasMessageContaining("api-keys[1] (b).sha256").hasMessageContaining("'a'");
    }

    @Test
    void withNoKeyThatMayWriteOneIsGeneratedAndLoggedOnce(CapturedOutput output) {
        // Only a scraper's key, and a revoked writer: nobody could start a job.
        ConfiguredApiKeys keys = ConfiguredApiKeys.from(properties(
                key("prometheus", "k-prom", false, Role.METRICS),
                key("old", "k-old", true, Role.WRITE)), new SecureRandom());
        Matcher m = Pattern.compile("Using generated API key for this run only: (\\S+)").matcher(output.getOut());
        assertThat(m.find()).as(output.getOut()).isTrue();
        String generated = m.group(1);
        assertThat(m.find()).as("logged once").isFalse();
        assertThat(generated).hasSizeGreaterThanOrEqualTo(43); // 256 random bits
        assertThat(keys.find(generated)).isEqualTo(new ApiKeyStore.Valid("generated", EnumSet.allOf(Role.class)));
        assertThat(keys.find("k-prom")).isInstanceOf(ApiKeyStore.Valid.class);

        ConfiguredApiKeys again = ConfiguredApiKeys.from(properties(), new SecureRandom());
        Matcher second = Pattern.compile("Using generated API key for this run only: (\\S+)").matcher(output.getOut());
        second.find();
        second.find();
        assertThat(second.group(1)).as("a new key at every start").isNotEqualTo(generated);
        assertThat(again.find(generated)).isInstanceOf(ApiKeyStore.Unknown.class);
    }

    @Test
    void noKeyIsGeneratedWhenBearerTokensMayWrite(CapturedOutput output) {
        SecurityProperties.Jwt jwt = new SecurityProperties.Jwt(true, null, null, "https://issuer.example", null, "scope", "ganserve.");
        ConfiguredApiKeys.from(new SecurityProperties(true, List.of(), jwt), new SecureRandom());
        assertThat(output).doesNotContain("generated API key");
    }
}
