package io.ganserve.support;

/** The plaintext of the API keys whose hashes src/test/resources/config/application.yml configures. */
public final class TestKeys {

    /** WRITE, READ, METRICS: what {@link HttpApi} sends unless told otherwise. */
    public static final String ADMIN = "ganserve-test-admin-key";
    public static final String READER = "ganserve-test-reader-key";
    public static final String WRITER = "ganserve-test-writer-key";
    public static final String METRICS = "ganserve-test-metrics-key";
    /** Every role, but revoked. */
    public static final String REVOKED = "ganserve-test-revoked-key";

    private TestKeys() {}
}
