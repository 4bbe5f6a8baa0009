package io.ganserve.api;

import io.ganserve.api.problem.Problem;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page ({@code /error}): what a filter's {@code sendError} or an
 * exception escaping the filters ends in. Answers problem+json like the rest of the API, in place
 * of Spring Boot's JSON of another shape. Hidden from the OpenAPI document: clients never call it,
 * and the errors it writes are documented with the operations that end in them.
 */
@Hidden
@RestController
class ErrorEndpoint implements ErrorController {

    @RequestMapping("${server.error.path:${error.path:/error}}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        HttpStatus status = code instanceof Integer value && HttpStatus.resolve(value) != null
                ? HttpStatus.resolve(value) : HttpStatus.NOT_FOUND;
        String detail;
        if (status.is5xxServerError()) {
            detail = "the service failed to answer; the error is logged";
        } else if (request.getAttribute(RequestDispatcher.ERROR_MESSAGE) instanceof String message && !message.isBlank()) {
            detail = message;
        } else {
            detail = status.getReasonPhrase();
        }
        Problem problem = Problem.of(status.value(), detail);
        if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String uri) {
            problem = problem.at(uri.replaceAll("[^A-Za-z0-9/._~-]", "_"));
        }
        return problem.toResponseEntity();
    }
}
