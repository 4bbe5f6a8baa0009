package io.ganserve.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates {@code X-API-Key: <key>} or {@code Authorization: ApiKey <key>}. A key that is
 * sent but unknown or revoked ends the request with a 401 here, on public paths too, as Spring
 * Security does with a bad bearer token: a client with a broken credential learns it at once
 * instead of at its first write.
 */
final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    static final String HEADER = "X-API-Key";
    static final String SCHEME = "ApiKey";

    private record Presented(String key, String where) {}

    private final ApiKeyStore store;
    private final AuthenticationEntryPoint entryPoint;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    ApiKeyAuthenticationFilter(ApiKeyStore store, AuthenticationEntryPoint entryPoint) {
        this.store = store;
        this.entryPoint = entryPoint;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Presented presented = presented(request);
        if (presented == null) {
            chain.doFilter(request, response);
            return;
        }
        // getHeader answers the first of several; which one a proxy or client meant is anyone's guess
        if (java.util.Collections.list(request.getHeaders(HEADER)).size() > 1) {
            entryPoint.commence(request, response, new ApiKeyException("Two credentials",
                    "the request carries " + HEADER + " more than once; send one key"));
            return;
        }
        if (request.getHeader(HEADER) != null && scheme(request.getHeader(HttpHeaders.AUTHORIZATION)) != null) {
            entryPoint.commence(request, response, new ApiKeyException("Two credentials",
                    "the request carries both " + HEADER + " and an Authorization header; send one credential"));
            return;
        }
        switch (store.find(presented.key())) {
            case ApiKeyStore.Valid valid -> {
                SecurityContext context = contexts.createEmptyContext();
                context.setAuthentication(new ApiKeyAuthentication(valid.name(), valid.roles()));
                contexts.setContext(context);
                chain.doFilter(request, response);
            }
            case ApiKeyStore.Revoked revoked -> entryPoint.commence(request, response, new ApiKeyException(
                    "Revoked API key", "the API key '" + revoked.name() + "' sent in " + presented.where()
                            + " has been revoked"));
            case ApiKeyStore.Unknown unknown -> entryPoint.commence(request, response, new ApiKeyException(
                    "Unknown API key", "the API key sent in " + presented.where() + " matches no configured key"));
        }
    }

    private static @Nullable Presented presented(HttpServletRequest request) {
        String header = request.getHeader(HEADER);
        if (header != null) {
            return new Presented(header.strip(), HEADER);
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (SCHEME.equalsIgnoreCase(scheme(authorization))) {
            return new Presented(authorization.substring(SCHEME.length()).strip(), "Authorization: " + SCHEME);
        }
        return null;
    }

    /** The scheme of an Authorization header we answer for (ApiKey or Bearer), else null. */
    static @Nullable String scheme(@Nullable String authorization) {
        if (authorization == null) {
            return null;
        }
        String lower = authorization.toLowerCase(Locale.ROOT);
        if (lower.equals("apikey") || lower.startsWith("apikey ")) {
            return SCHEME;
        }
        if (lower.equals("bearer") || lower.startsWith("bearer ")) {
            return "Bearer";
        }
        return null;
    }
}
