package io.ganserve.api;

import io.ganserve.data.DatasetExistsException;
import io.ganserve.data.DatasetUploadProperties;
import io.ganserve.data.InvalidUploadException;
import io.ganserve.data.UnknownDatasetException;
import io.ganserve.data.UploadTooLargeException;
import io.ganserve.jobs.EvaluationQueueFullException;
import io.ganserve.storage.InsufficientStorageException;
import io.ganserve.storage.OutOfSpace;
import io.ganserve.sampling.NoModelException;
import io.ganserve.jobs.InvalidJobException;
import io.ganserve.jobs.JobConflictException;
import io.ganserve.jobs.JobNotFoundException;
import io.ganserve.jobs.QueueFullException;
import io.ganserve.api.problem.Problem;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.ganserve.engine.BudgetBusyException;
import io.ganserve.engine.BudgetExceededException;
import io.ganserve.engine.DiskBudgetExceededException;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * Every error as RFC 9457 problem+json. Client errors name the offending field or parameter
 * ({@code field}) and the rule it broke ({@code rule}); several at once go in {@code errors}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private final java.time.Duration retryAfter;

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final long RETRY_AFTER_SECONDS = 30;

    record FieldProblem(String field, String rule) {}

    private final long maxUploadBytes;

    ApiExceptionHandler(DatasetUploadProperties upload, io.ganserve.engine.ResourceProperties resources) {
        this.retryAfter = resources.retryAfter();
        this.maxUploadBytes = upload.maxUploadBytes().toBytes();
    }

    @ExceptionHandler(UploadTooLargeException.class)
    ProblemDetail uploadTooLarge(UploadTooLargeException e) {
        return fieldProblem(HttpStatus.CONTENT_TOO_LARGE, "Upload too large", e.field(), e.getMessage());
    }

    @ExceptionHandler(io.ganserve.inversion.InvalidImageException.class)
    ProblemDetail invalidImage(io.ganserve.inversion.InvalidImageException e) {
        return fieldProblem(HttpStatus.BAD_REQUEST, "Invalid image upload", e.field(), e.getMessage());
    }

    @ExceptionHandler(io.ganserve.inversion.UnsupportedModelException.class)
    ProblemDetail unsupportedModel(io.ganserve.inversion.UnsupportedModelException e) {
        return fieldProblem(HttpStatus.BAD_REQUEST, "Model cannot be inverted", "job", e.getMessage());
    }

    @ExceptionHandler(InvalidUploadException.class)
    ProblemDetail invalidUpload(InvalidUploadException e) {
        return fieldProblem(HttpStatus.BAD_REQUEST, "Invalid dataset upload", e.field(), e.getMessage());
    }

    @ExceptionHandler(DatasetExistsException.class)
    ProblemDetail datasetExists(DatasetExistsException e) {
        return fieldProblem(HttpStatus.CONFLICT, "Dataset exists", "name", e.getMessage());
    }

    @ExceptionHandler(UnknownDatasetException.class)
    ProblemDetail unknownDataset(UnknownDatasetException e) {
        return problem(HttpStatus.NOT_FOUND, "Dataset not found", e.getMessage());
    }

    @ExceptionHandler(RequestTooLargeException.class)
    ProblemDetail requestTooLarge(RequestTooLargeException e) {
        return fieldProblem(HttpStatus.CONTENT_TOO_LARGE, "Request too large", "body", e.getMessage());
    }

    /** Tomcat refuses a query string it cannot split into parameters (such as {@code ?=1}) when it is first read. */
    @ExceptionHandler(org.apache.tomcat.util.http.InvalidParameterException.class)
    ProblemDetail badQuery(org.apache.tomcat.util.http.InvalidParameterException e) {
        return fieldProblem(HttpStatus.BAD_REQUEST, "Invalid query string", "query",
                "must be name=value pairs separated by '&', with non-empty names, percent-encoded as UTF-8; "
                        + e.getMessage());
    }

    /** Multipart bodies that do not parse; oversized ones are {@link #handleMaxUploadSizeExceededException}. */
    @ExceptionHandler(MultipartException.class)
    ProblemDetail badMultipart(MultipartException e) {
        return problem(HttpStatus.BAD_REQUEST, "Malformed multipart request",
                "the multipart/form-data body could not be read: " + e.getMostSpecificCause().getMessage());
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMaxUploadSizeExceededException(
            MaxUploadSizeExceededException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(fieldProblem(HttpStatus.CONTENT_TOO_LARGE,
                "Upload too large", "file", "the upload is larger than " + maxUploadBytes
                        + " bytes (ganserve.datasets.upload.max-upload-bytes)"));
    }

    @ExceptionHandler(InvalidJobException.class)
    ProblemDetail invalidJob(InvalidJobException e) {
        return fieldProblem(HttpStatus.BAD_REQUEST, "Invalid job request", e.field(), e.getMessage());
    }

    @ExceptionHandler(InvalidParameterException.class)
    ProblemDetail invalidParameter(InvalidParameterException e) {
        return fieldProblem(HttpStatus.BAD_REQUEST, "Invalid parameter", e.parameter(), e.getMessage());
    }

    @ExceptionHandler(JobNotFoundException.class)
    ProblemDetail jobNotFound(JobNotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Job not found", e.getMessage());
    }

    @ExceptionHandler(NoModelException.class)
    ProblemDetail noModel(NoModelException e) {
        return problem(HttpStatus.NOT_FOUND, "No trained generator", e.getMessage());
    }

    @ExceptionHandler(JobConflictException.class)
    ProblemDetail conflict(JobConflictException e) {
        return problem(HttpStatus.CONFLICT, "Job state conflict", e.getMessage());
    }

    @ExceptionHandler(io.ganserve.sampling.ModelInUseException.class)
    ProblemDetail modelInUse(io.ganserve.sampling.ModelInUseException e) {
        return problem(HttpStatus.CONFLICT, "Model in use", e.getMessage());
    }

    @ExceptionHandler(QueueFullException.class)
    ResponseEntity<ProblemDetail> queueFull(QueueFullException e) {
        return Problem.of(HttpStatus.TOO_MANY_REQUESTS, "Job queue full", e.getMessage())
                .retryAfter(RETRY_AFTER_SECONDS).toResponseEntity();
    }

    /** Work priced above the whole budget: asking again cannot help, asking for less can. */
    @ExceptionHandler(BudgetExceededException.class)
    ProblemDetail overBudget(BudgetExceededException e) {
        return Problem.of(HttpStatus.UNPROCESSABLE_CONTENT, "Exceeds the memory budget", e.getMessage())
                .with("estimateBytes", e.estimateBytes())
                .with("budgetBytes", e.budgetBytes())
                .with("pool", e.pool())
                .toProblemDetail();
    }

    /** Fits, but others hold the memory now; the client retries after the hint. */
    @ExceptionHandler(BudgetBusyException.class)
    ResponseEntity<ProblemDetail> budgetBusy(BudgetBusyException e) {
        return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "Memory budget busy", e.getMessage())
                .with("estimateBytes", e.estimateBytes())
                .with("budgetBytes", e.budgetBytes())
                .retryAfter(Math.max(1, retryAfter.toSeconds()))
                .toResponseEntity();
    }

    /** Too many requests wait for one model's generator passes; the client retries after the hint. */
    @ExceptionHandler(io.ganserve.sampling.InferenceQueueFullException.class)
    ResponseEntity<ProblemDetail> inferenceQueueFull(io.ganserve.sampling.InferenceQueueFullException e) {
        return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "Inference queue full", e.getMessage())
                .retryAfter(Math.max(1, retryAfter.toSeconds()))
                .toResponseEntity();
    }

    @ExceptionHandler(RateLimitedException.class)
    ResponseEntity<ProblemDetail> rateLimited(RateLimitedException e) {
        return Problem.of(HttpStatus.TOO_MANY_REQUESTS, "Rate limit", e.getMessage())
                .retryAfter(e.retryAfterSeconds()).toResponseEntity();
    }

    /** The request is fine; the file it needs is not, and retrying will not mend it. */
    @ExceptionHandler(io.ganserve.registry.DamagedFileException.class)
    ProblemDetail damagedFile(io.ganserve.registry.DamagedFileException e) {
        return Problem.of(HttpStatus.CONFLICT, "Damaged model file", e.getMessage())
                .with("job", e.jobId())
                .with("file", e.file())
                .toProblemDetail();
    }

    @ExceptionHandler(DiskBudgetExceededException.class)
    ProblemDetail overDiskBudget(DiskBudgetExceededException e) {
        return Problem.of(HttpStatus.INSUFFICIENT_STORAGE, "Exceeds the free disk", e.getMessage())
                .with("neededBytes", e.neededBytes())
                .with("freeBytes", e.freeBytes())
                .with("minFreeBytes", e.minFreeBytes())
                .toProblemDetail();
    }

    @ExceptionHandler(EvaluationQueueFullException.class)
    ResponseEntity<ProblemDetail> evaluationQueueFull(EvaluationQueueFullException e) {
        return Problem.of(HttpStatus.TOO_MANY_REQUESTS, "Evaluation queue full", e.getMessage())
                .retryAfter(RETRY_AFTER_SECONDS).toResponseEntity();
    }

    @ExceptionHandler(io.ganserve.jobs.EncoderQueueFullException.class)
    ResponseEntity<ProblemDetail> encoderQueueFull(io.ganserve.jobs.EncoderQueueFullException e) {
        return Problem.of(HttpStatus.TOO_MANY_REQUESTS, "Encoder queue full", e.getMessage())
                .retryAfter(RETRY_AFTER_SECONDS).toResponseEntity();
    }

    @ExceptionHandler(MethodArgumentTypeMismatchException.class)
    ProblemDetail typeMismatch(MethodArgumentTypeMismatchException e) {
        String expected = e.getRequiredType() == null ? "another type" : e.getRequiredType().getSimpleName().toLowerCase();
        return fieldProblem(HttpStatus.BAD_REQUEST, "Invalid parameter", e.getName(),
                "must be " + article(expected) + ", was '" + e.getValue() + "'");
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<FieldProblem> problems = e.getBindingResult().getFieldErrors().stream()
                .map(f -> new FieldProblem(f.getField(), describe(f)))
                .toList();
        FieldProblem first = problems.getFirst();
        return ResponseEntity.badRequest().body(Problem.invalid(HttpStatus.BAD_REQUEST, "Invalid job request",
                first.field(), first.rule()).with("errors", problems).toProblemDetail());
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Problem body;
        if (e.getCause() instanceof StreamReadException bad && duplicateKey(bad) != null) {
            body = Problem.invalid(HttpStatus.BAD_REQUEST, "Invalid job request", duplicateKey(bad),
                    "duplicate key: the field is given more than once; give it once");
        } else if (e.getCause() instanceof DatabindException bad && !bad.getPath().isEmpty()) {
            String field = path(bad.getPath());
            body = Problem.invalid(HttpStatus.BAD_REQUEST, "Invalid job request", field, ruleOf(bad));
        } else if (e.getCause() instanceof JacksonException bad) {
            body = Problem.of(HttpStatus.BAD_REQUEST, "Malformed JSON", "the body is not valid JSON: " + bad.getOriginalMessage());
        } else {
            body = Problem.of(HttpStatus.BAD_REQUEST, "Unreadable body", "a JSON body is required");
        }
        return ResponseEntity.badRequest().body(body.toProblemDetail());
    }

    @ExceptionHandler(InsufficientStorageException.class)
    ProblemDetail insufficientStorage(InsufficientStorageException e) {
        return problem(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage", e.getMessage());
    }

    /**
     * Besides bugs: a job store that cannot answer (503, until H2 reopens or the database is back),
     * and a full disk, however deep it surfaced (507); neither is the client's fault nor a 500.
     */
    @ExceptionHandler(RuntimeException.class)
    ResponseEntity<ProblemDetail> unexpected(RuntimeException e) {
        if (e instanceof DataAccessException) {
            // even when a full disk closed it: a read is refused too, and it is the store that is down
            log.warn("the job store failed: {}", e.toString());
            String why = OutOfSpace.causes(e) ? " (" + OutOfSpace.MESSAGE + ")" : "";
            return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "Store unavailable",
                            "the job store cannot answer now" + why + "; nothing was changed, retry later")
                    .retryAfter(RETRY_AFTER_SECONDS).toResponseEntity();
        }
        if (OutOfSpace.causes(e)) {
            log.warn("refused for lack of disk space: {}", e.toString());
            return Problem.of(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage", OutOfSpace.describe(e))
                    .toResponseEntity();
        }
        log.error("unhandled error", e);
        return ResponseEntity.internalServerError().body(unexpectedProblem(e));
    }

    private static ProblemDetail unexpectedProblem(RuntimeException e) {
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "the service failed to answer; the error is logged (" + e.getClass().getSimpleName() + ")");
    }

    private static String describe(FieldError f) {
        return f.getDefaultMessage() + (f.getRejectedValue() == null ? "" : ", was " + f.getRejectedValue());
    }

    private static String ruleOf(DatabindException e) {
        Throwable root = e;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        if (root instanceof IllegalArgumentException) {
            return root.getMessage(); // our enums' own "unknown loss 'x'; expected one of ..."
        }
        if (e instanceof tools.jackson.databind.exc.UnrecognizedPropertyException unknown) {
            return "is not a known field; known fields are " + unknown.getKnownPropertyIds();
        }
        if (e instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            String expected = "must be " + article(mismatch.getTargetType().getSimpleName().toLowerCase());
            String given = given(mismatch);
            return given == null ? expected : expected + ", not " + given;
        }
        return e.getOriginalMessage();
    }

    private static final Pattern COERCION = Pattern.compile(
            "^Cannot coerce (empty String|String value|Floating-point value|Integer value|Boolean value) \\((.*)\\) to ", Pattern.DOTALL);

    /**
     * What the client sent instead, when Jackson refused to coerce it: numbers as written, strings
     * by kind with their start (they may be long). Jackson keeps the value only for some refusals,
     * and its parser no longer stands at the token by the time the error arrives here, so the
     * message is the one source for all of them.
     */
    private static @Nullable String given(MismatchedInputException e) {
        String message = e.getOriginalMessage();
        Matcher m = message == null ? null : COERCION.matcher(message);
        if (m == null || !m.find()) {
            return null;
        }
        String value = m.group(2);
        return switch (m.group(1)) {
            case "String value", "empty String" -> {
                String text = value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                        ? value.substring(1, value.length() - 1) : value;
                yield "a string (\"" + (text.length() <= 40 ? text : text.substring(0, 40) + "…") + "\")";
            }
            case "Boolean value" -> "a boolean (" + value + ")";
            default -> value;
        };
    }

    /**
     * The repeated key's dotted path when the parser refused a duplicate (STRICT_DUPLICATE_DETECTION),
     * else null. The parser's context still stands at the object holding the repeated key.
     */
    private static @Nullable String duplicateKey(StreamReadException e) {
        String message = e.getOriginalMessage();
        if (message == null || !message.startsWith("Duplicate Object property")
                || !(e.processor() instanceof JsonParser parser)) {
            return null;
        }
        ArrayDeque<String> names = new ArrayDeque<>();
        for (TokenStreamContext c = parser.streamReadContext(); c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                names.push("[" + c.getCurrentIndex() + "]");
            } else if (c.currentName() != null) {
                names.push(c.currentName());
            }
        }
        String path = String.join(".", names).replace(".[", "[");
        return path.isEmpty() ? null : path;
    }

    private static String path(List<JacksonException.Reference> references) {
        StringBuilder field = new StringBuilder();
        for (JacksonException.Reference r : references) {
            if (r.getPropertyName() != null) {
                field.append(field.isEmpty() ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                field.append('[').append(r.getIndex()).append(']');
            }
        }
        return field.toString();
    }

    private static String article(String type) {
        Map<String, String> names = Map.of("int", "an integer", "integer", "an integer", "long", "an integer",
                "float", "a number", "double", "a number", "string", "a string", "boolean", "a boolean (true or false)");
        return names.getOrDefault(type, "a " + type);
    }

    private static ProblemDetail fieldProblem(HttpStatus status, String title, String field, String rule) {
        return Problem.invalid(status, title, field, rule).toProblemDetail();
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        return Problem.of(status, title, detail).toProblemDetail();
    }
}
