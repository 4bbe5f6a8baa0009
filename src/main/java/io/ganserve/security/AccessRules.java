package io.ganserve.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.http.HttpMethod;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Which role a request needs, in one place: the authorization decision and the refusal's message
 * ("POST /jobs needs role WRITE") both ask here, so they cannot disagree.
 *
 * <ul>
 *   <li>health and its probes, the OpenAPI document and Swagger UI, the console's page and its
 *       static files (the page holds no data: what it shows comes through the API, with the key the
 *       user types), the error page: public;
 *   <li>other actuator endpoints (info, prometheus): METRICS;
 *   <li>GET and HEAD: public, or READ when {@code public-reads} is false;
 *   <li>everything else (POST, PUT, PATCH, DELETE, ...): WRITE.
 * </ul>
 */
final class AccessRules {

    private final boolean publicReads;
    private final RequestMatcher health = EndpointRequest.to("health");
    private final RequestMatcher actuator = EndpointRequest.toAnyEndpoint();
    private final RequestMatcher publicPages = new OrRequestMatcher(
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v3/api-docs"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v3/api-docs/**"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/v3/api-docs.yaml"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/swagger-ui.html"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/swagger-ui/**"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/index.html"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/console/**"),
            PathPatternRequestMatcher.pathPattern(HttpMethod.GET, "/favicon.ico"),
            PathPatternRequestMatcher.pathPattern("/error"));

    AccessRules(boolean publicReads) {
        this.publicReads = publicReads;
    }

    /** The role the request needs, or empty when it is public. */
    Optional<Role> required(HttpServletRequest request) {
        // An error page or an async continuation belongs to a request that was already let in.
        if (request.getDispatcherType() == DispatcherType.ERROR || request.getDispatcherType() == DispatcherType.ASYNC) {
            return Optional.empty();
        }
        if (health.matches(request) || publicPages.matches(request)) {
            return Optional.empty();
        }
        if (actuator.matches(request)) {
            return Optional.of(Role.METRICS);
        }
        if (isRead(request)) {
            return publicReads ? Optional.empty() : Optional.of(Role.READ);
        }
        return Optional.of(Role.WRITE);
    }

    /** "POST /jobs", for messages. */
    static String describe(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return request.getMethod() + " " + path;
    }

    private static boolean isRead(HttpServletRequest request) {
        String method = request.getMethod();
        return HttpMethod.GET.matches(method) || HttpMethod.HEAD.matches(method);
    }
}
