package io.ganserve.security;

import java.util.Set;

/**
 * Where API keys are looked up. {@link ConfiguredApiKeys} reads them from configuration; a store
 * backed by a database would implement this too, holding hashes only.
 */
public interface ApiKeyStore {

    /** What the presented key is. The key itself goes no further than this call. */
    Lookup find(String presentedKey);

    sealed interface Lookup permits Valid, Revoked, Unknown {}

    record Valid(String name, Set<Role> roles) implements Lookup {}

    record Revoked(String name) implements Lookup {}

    record Unknown() implements Lookup {}
}
