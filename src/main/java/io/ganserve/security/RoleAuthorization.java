package io.ganserve.security;

import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/** Grants a request when it is public or its credential holds the role {@link AccessRules} names. */
final class RoleAuthorization implements AuthorizationManager<RequestAuthorizationContext> {

    private final AccessRules rules;
    private final AuthenticationTrustResolver trust = new AuthenticationTrustResolverImpl();

    RoleAuthorization(AccessRules rules) {
        this.rules = rules;
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication, RequestAuthorizationContext context) {
        Optional<Role> needed = rules.required(context.getRequest());
        if (needed.isEmpty()) {
            return new AuthorizationDecision(true);
        }
        Authentication who = authentication.get();
        String authority = needed.get().authority().getAuthority();
        boolean granted = trust.isAuthenticated(who)
                && who.getAuthorities().stream().anyMatch(a -> authority.equals(a.getAuthority()));
        return new AuthorizationDecision(granted);
    }
}
