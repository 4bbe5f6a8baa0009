package io.ganserve.api.problem;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.json.JsonMapper;

/**
 * An RFC 9457 problem as this API answers it, whichever of its four error paths caught the error:
 * the exception handler, the servlet error page, the security filters and Tomcat's error report
 * valve. They differ in what they can write with (Spring's converters, a bare servlet response, a
 * Tomcat writer), so the body is decided here once and each path only carries it out.
 *
 * @param status the HTTP status, also the body's {@code status}
 * @param title short and fixed per kind of error; the {@code type} URI is made from it
 * @param detail this occurrence: what was wrong and, where it helps, what to do instead
 * @param instance the request path; null leaves it to Spring, which fills it in, or out
 * @param members extension members after the standard ones, in the order given
 * @param retryAfterSeconds the {@code Retry-After} header, for refusals that a later retry can pass
 */
public record Problem(int status, String title, String detail, @Nullable String instance,
                      Map<String, @Nullable Object> members, @Nullable Long retryAfterSeconds) {

    /** Where the {@code type} URIs live; a title names the page under it. */
    public static final String TYPE_BASE = "https://ganserve.io/problems/";

    /** The media type of every error body. */
    public static final String MEDIA_TYPE = MediaType.APPLICATION_PROBLEM_JSON_VALUE;

    // Tomcat's valve builds this class outside any Spring context, so it cannot be handed
    // Spring's mapper; for a map of strings, numbers and lists a plain one writes the same bytes.
    private static final JsonMapper JSON = JsonMapper.builder().build();

    public Problem {
        // insertion order is the order clients see; Map.copyOf would shuffle it
        members = Collections.unmodifiableMap(new LinkedHashMap<>(members));
    }

    public static Problem of(HttpStatusCode status, String title, String detail) {
        return new Problem(status.value(), title, detail, null, Map.of(), null);
    }

    /** Titled by the status's reason phrase, for paths that know only the status. */
    public static Problem of(int status, String detail) {
        HttpStatus known = HttpStatus.resolve(status);
        return new Problem(status, known == null ? "Error" : known.getReasonPhrase(), detail, null, Map.of(), null);
    }

    /**
     * Bad input: {@code field} names the JSON field, query parameter or form part, {@code rule}
     * what it must be; the detail joins the two, so a client that reads only it loses nothing.
     */
    public static Problem invalid(HttpStatusCode status, String title, String field, String rule) {
        return of(status, title, field + ": " + rule).with("field", field).with("rule", rule);
    }

    /** An extension member; a name already set keeps its place and takes the new value. */
    public Problem with(String member, @Nullable Object value) {
        Map<String, @Nullable Object> more = new LinkedHashMap<>(members);
        more.put(member, value);
        return new Problem(status, title, detail, instance, more, retryAfterSeconds);
    }

    public Problem at(String path) {
        return new Problem(status, title, detail, path, members, retryAfterSeconds);
    }

    public Problem retryAfter(long seconds) {
        return new Problem(status, title, detail, instance, members, seconds);
    }

    public URI type() {
        return URI.create(TYPE_BASE + title.toLowerCase(Locale.ROOT).replace(' ', '-'));
    }

    /** For Spring MVC, which writes it with its own converters and fills in {@code instance}. */
    public ProblemDetail toProblemDetail() {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(status), detail);
        body.setTitle(title);
        body.setType(type());
        if (instance != null) {
            body.setInstance(URI.create(instance));
        }
        members.forEach(body::setProperty);
        return body;
    }

    public ResponseEntity<ProblemDetail> toResponseEntity() {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
        if (retryAfterSeconds != null) {
            response.header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        return response.body(toProblemDetail());
    }

    /** The body as JSON, for writers outside Spring MVC: standard members first, then the extensions. */
    public String toJson() {
        Map<String, @Nullable Object> body = new LinkedHashMap<>();
        body.put("type", type().toString());
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        if (instance != null) {
            body.put("instance", instance);
        }
        body.putAll(members);
        return JSON.writeValueAsString(body);
    }

    /** Status, headers and body onto a response no one has written to yet. */
    public void writeTo(HttpServletResponse response) throws IOException {
        response.setStatus(status);
        if (retryAfterSeconds != null) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
        }
        response.setContentType(MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(toJson().getBytes(StandardCharsets.UTF_8));
    }
}
