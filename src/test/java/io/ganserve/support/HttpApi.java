package io.ganserve.support;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A tiny client for the real HTTP API on a real port: what a user's curl does. Every request
 * carries {@code X-API-Key: }{@link TestKeys#ADMIN} (every role) unless the client was made with
 * {@link #anonymous()}, {@link #withKey} or {@link #withHeader}.
 */
public final class HttpApi {

    private final HttpClient client;
    private final JsonMapper json = JsonMapper.builder().build();
    private final String base;
    private final Map<String, String> headers;

    public HttpApi(int port) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), "http://localhost:" + port,
                Map.of("X-API-Key", TestKeys.ADMIN));
    }

    private HttpApi(HttpClient client, String base, Map<String, String> headers) {
        this.client = client;
        this.base = base;
        this.headers = Map.copyOf(headers);
    }

    /** The same server, no credential at all. */
    public HttpApi anonymous() {
        return new HttpApi(client, base, Map.of());
    }

    /** The same server, with this key in {@code X-API-Key} instead of the admin key. */
    public HttpApi withKey(String key) {
        return withHeader("X-API-Key", key);
    }

    /** The same server, with this one header as its credential (e.g. {@code Authorization: Bearer ...}). */
    public HttpApi withHeader(String name, String value) {
        return new HttpApi(client, base, Map.of(name, value));
    }

    /** This client's headers plus one more. */
    public HttpApi plusHeader(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new HttpApi(client, base, more);
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<byte[]> getBytes(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> post(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), HttpResponse.BodyHandlers.ofString());
    }

    /** A multipart/form-data POST: String values become text fields, {@link FilePart}s file parts. */
    public HttpResponse<String> postMultipart(String path, Map<String, ?> parts) {
        String boundary = "ganserve-" + UUID.randomUUID();
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipartBody(boundary, parts))),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@link #postMultipart}, keeping the answer's bytes (images). */
    public HttpResponse<byte[]> postMultipartBytes(String path, Map<String, ?> parts) {
        String boundary = "ganserve-" + UUID.randomUUID();
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipartBody(boundary, parts))),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The body of a multipart/form-data request with the given boundary. */
    public static byte[] multipartBody(String boundary, Map<String, ?> parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, ?> part : parts.entrySet()) {
            StringBuilder head = new StringBuilder("--").append(boundary).append("\r\n")
                    .append("Content-Disposition: form-data; name=\"").append(part.getKey()).append('"');
            byte[] content;
            if (part.getValue() instanceof FilePart file) {
                head.append("; filename=\"").append(file.filename()).append("\"\r\n")
                        .append("Content-Type: ").append(file.contentType()).append("\r\n");
                content = file.content();
            } else {
                head.append("\r\n");
                content = String.valueOf(part.getValue()).getBytes(StandardCharsets.UTF_8);
            }
            body.writeBytes(head.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    /** One file of a multipart request. */
    public record FilePart(String filename, byte[] content, String contentType) {
        public FilePart(String filename, byte[] content) {
            this(filename, content, "application/octet-stream");
        }
    }

    /**
     * Any method, path and body, with the given headers (e.g. Content-Type, Accept); a null body
     * sends none. {@code chunked} sends the body without a Content-Length.
     */
    public HttpResponse<String> raw(String method, String path, Map<String, String> headers, byte[] body,
                                    boolean chunked) {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : chunked ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))
                : HttpRequest.BodyPublishers.ofByteArray(body);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).method(method, publisher);
        headers.forEach(request::header);
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** A JSON POST whose answer is binary (an image, a zip). */
    public HttpResponse<byte[]> postForBytes(String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<String> delete(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), HttpResponse.BodyHandlers.ofString());
    }

    /** Any method, with a JSON body or none. */
    public HttpResponse<String> request(String method, String path, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    public JsonNode json(HttpResponse<String> response) {
        return json.readTree(response.body());
    }

    /** Polls a job until it reaches a finished status, or fails the test after {@code timeout}. */
    public JsonNode awaitFinished(String jobId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode job = json(get("/jobs/" + jobId));
            String status = job.get("status").asString();
            if (status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("CANCELLED")) {
                return job;
            }
            sleep(200);
        }
        throw new AssertionError("job " + jobId + " did not finish within " + timeout + ": " + get("/jobs/" + jobId).body());
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> handler) {
        try {
            headers.forEach(request::header);
            return client.send(request.timeout(Duration.ofSeconds(60)).build(), handler);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Posts a job, waits for it to end and asserts it SUCCEEDED; its final record. */
    public JsonNode trainToSuccess(String body, Duration timeout) {
        HttpResponse<String> created = post("/jobs", body);
        org.assertj.core.api.Assertions.assertThat(created.statusCode()).as(created.body()).isEqualTo(202);
        JsonNode done = awaitFinished(json(created).get("id").asString(), timeout);
        org.assertj.core.api.Assertions.assertThat(done.get("status").asString()).as(done.toString())
                .isEqualTo("SUCCEEDED");
        return done;
    }
}
