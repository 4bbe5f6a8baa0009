package io.ganserve.security;

import java.util.Set;
import org.springframework.security.authentication.AbstractAuthenticationToken;

/** A request authenticated by an API key: the key's name and roles; the key itself is not kept. */
final class ApiKeyAuthentication extends AbstractAuthenticationToken {

    private final String keyName;

    ApiKeyAuthentication(String keyName, Set<Role> roles) {
        super(roles.stream().map(Role::authority).toList());
        this.keyName = keyName;
        setAuthenticated(true);
    }

    @Override
    public Object getCredentials() {
        return "";
    }

    @Override
    public Object getPrincipal() {
        return keyName;
    }
}
