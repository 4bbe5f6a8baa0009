package io.ganserve.security;

import io.ganserve.api.problem.Problem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Refusals as RFC 9457 problem+json, like every other error of the API: 401 with
 * {@code WWW-Authenticate} challenges for a missing or bad credential, 403 naming the role
 * that was needed and the roles the credential has.
 */
final class AccessProblems implements AuthenticationEntryPoint, AccessDeniedHandler {

    private static final String REALM = "realm=\"ganserve\"";

    private final AccessRules rules;
    private final SecurityProperties.Jwt jwt;

    AccessProblems(AccessRules rules, SecurityProperties.Jwt jwt) {
        this.rules = rules;
        this.jwt = jwt;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        String title;
        String detail;
        String bearerError = null;
        if (e instanceof ApiKeyException bad) {
            title = bad.title();
            detail = bad.getMessage();
        } else if (e instanceof OAuth2AuthenticationException bad) {
            title = "Invalid bearer token";
            detail = Objects.requireNonNullElse(bad.getError().getDescription(), bad.getError().getErrorCode());
            bearerError = "error=\"" + bad.getError().getErrorCode() + "\", error_description=\"" + quoted(detail) + "\"";
        } else if (!jwt.enabled() && "Bearer".equals(ApiKeyAuthenticationFilter.scheme(request.getHeader(HttpHeaders.AUTHORIZATION)))) {
            title = "Missing API key";
            detail = "bearer tokens are not accepted (ganserve.security.jwt.enabled is false); " + need(request)
                    + ": send " + howToSend();
        } else {
            title = jwt.enabled() ? "Missing credentials" : "Missing API key";
            detail = need(request) + ": send " + howToSend();
        }
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, ApiKeyAuthenticationFilter.SCHEME + " " + REALM);
        if (jwt.enabled()) {
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer " + REALM + (bearerError == null ? "" : ", " + bearerError));
        }
        Problem.of(HttpStatus.UNAUTHORIZED, title, detail).at(request.getRequestURI()).writeTo(response);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        Authentication who = SecurityContextHolder.getContext().getAuthentication();
        Role needed = rules.required(request).orElse(null);
        Set<Role> has = roles(who);
        String holder = who instanceof JwtAuthenticationToken ? "the bearer token of '" + who.getName() + "'"
                : "the API key '" + (who == null ? "?" : who.getName()) + "'";
        String detail = (needed == null ? AccessRules.describe(request) + " was refused" : need(request))
                + "; " + holder + " has " + (has.isEmpty() ? "no role" : "the roles " + names(has));
        if (who instanceof JwtAuthenticationToken && needed != null) {
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer " + REALM
                    + ", error=\"insufficient_scope\", scope=\"" + needed.scope(jwt.scopePrefix()) + "\"");
        }
        Problem problem = Problem.of(HttpStatus.FORBIDDEN, "Missing role", detail).at(request.getRequestURI());
        if (needed != null) {
            problem = problem.with("requiredRole", needed.name());
        }
        problem.with("roles", has.stream().map(Role::name).toList()).writeTo(response);
    }

    private String need(HttpServletRequest request) {
        return AccessRules.describe(request) + rules.required(request).map(r -> " needs role " + r.name())
                .orElse(" needs a credential");
    }

    private String howToSend() {
        String key = "an API key as X-API-Key: <key> or Authorization: ApiKey <key>";
        return jwt.enabled() ? key + ", or a token as Authorization: Bearer <JWT>" : key;
    }

    private static Set<Role> roles(@Nullable Authentication who) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        if (who != null) {
            who.getAuthorities().stream().map(Role::of).filter(Objects::nonNull).forEach(roles::add);
        }
        return roles;
    }

    private static String names(Set<Role> roles) {
        return roles.stream().map(Role::name).collect(Collectors.joining(", "));
    }

    /** RFC 7235 quoted-string: backslash-escape quotes and backslashes. */
    private static String quoted(String text) {
        return text.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
