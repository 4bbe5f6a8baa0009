package io.ganserve.api;

import io.ganserve.data.DatasetExistsException;
import io.ganserve.data.DatasetUploadProperties;
import io.ganserve.data.InvalidUploadException;
import io.ganserve.data.UnknownDatasetException;
import io.ganserve.data.UploadTooLargeException;
import io.ganserve.evaluation.EvaluationQueueFullException;
import io.ganserve.storage.InsufficientStorageException;
import io.ganserve.storage.OutOfSpace;
import io.ganserve.sampling.NoModelException;
import io.ganserve.training.InvalidJobException;
import io.ganserve.training.JobConflictException;
import io.ganserve.training.JobNotFoundException;
import io.ganserve.training.QueueFullException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import tools.jackson.databind.DatabindException;

/**
 * Every error as RFC 9457 problem+json. Client errors name the offending field or parameter
 * ({@code field}) and the rule it broke ({@code rule}); several at once go in {@code errors}.
 */
@RestControllerAdvice
class ApiExceptionHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);
    private static final String RETRY_AFTER_SECONDS = "30";

    record FieldProblem(String field, String rule) {}

    private final long maxUploadBytes;

    ApiExceptionHandler(DatasetUploadProperties upload) {
        this.maxUploadBytes = upload.maxUploadBytes().toBytes();
    }

    @ExceptionHandler(UploadTooLargeException.class)
    ProblemDetail uploadTooLarge(UploadTooLargeException e) {
        return fieldProblem(HttpStatus.CONTENT_TOO_LARGE, "Upload too large", e.field(), e.getMessage());
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

    @ExceptionHandler(QueueFullException.class)
    ResponseEntity<ProblemDetail> queueFull(QueueFullException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(problem(HttpStatus.TOO_MANY_REQUESTS, "Job queue full", e.getMessage()));
    }

    @ExceptionHandler(EvaluationQueueFullException.class)
    ResponseEntity<ProblemDetail> evaluationQueueFull(EvaluationQueueFullException e) {
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS)
                .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                .body(problem(HttpStatus.TOO_MANY_REQUESTS, "Evaluation queue full", e.getMessage()));
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
        ProblemDetail body = fieldProblem(HttpStatus.BAD_REQUEST, "Invalid job request", first.field(), first.rule());
        body.setProperty("errors", problems);
        return ResponseEntity.badRequest().body(body);
    }

    @Override
    protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ProblemDetail body;
        if (e.getCause() instanceof DatabindException bad && !bad.getPath().isEmpty()) {
            String field = path(bad.getPath());
            body = fieldProblem(HttpStatus.BAD_REQUEST, "Invalid job request", field, ruleOf(bad));
        } else if (e.getCause() instanceof JacksonException bad) {
            body = problem(HttpStatus.BAD_REQUEST, "Malformed JSON", "the body is not valid JSON: " + bad.getOriginalMessage());
        } else {
            body = problem(HttpStatus.BAD_REQUEST, "Unreadable body", "a JSON body is required");
        }
        return ResponseEntity.badRequest().body(body);
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
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                    .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Store unavailable",
                            "the job store cannot answer now" + why + "; nothing was changed, retry later"));
        }
        if (OutOfSpace.causes(e)) {
            log.warn("refused for lack of disk space: {}", e.toString());
            return ResponseEntity.status(HttpStatus.INSUFFICIENT_STORAGE).body(problem(HttpStatus.INSUFFICIENT_STORAGE,
                    "Insufficient storage", OutOfSpace.describe(e)));
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
        if (e instanceof tools.jackson.databind.exc.MismatchedInputException mismatch && mismatch.getTargetType() != null) {
            return "must be " + article(mismatch.getTargetType().getSimpleName().toLowerCase());
        }
        return e.getOriginalMessage();
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
                "float", "a number", "double", "a number", "string", "a string", "boolean", "true or false");
        return names.getOrDefault(type, "a " + type);
    }

    private static ProblemDetail fieldProblem(HttpStatus status, String title, String field, String rule) {
        ProblemDetail body = problem(status, title, field + ": " + rule);
        body.setProperty("field", field);
        body.setProperty("rule", rule);
        return body;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title);
        body.setType(URI.create("https://ganserve.io/problems/" + title.toLowerCase().replace(' ', '-')));
        return body;
    }
}
