package io.ganserve.api;

import io.ganserve.api.problem.Problem;
import java.io.IOException;
import java.io.Writer;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's report for requests it refuses before any servlet sees them (an encoded '/', '\' or NUL
 * in the path, a path that is not UTF-8), as problem+json instead of Tomcat's HTML page. Errors
 * inside the application never get here: Spring answers those itself.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // as Tomcat's own report: only errors, only when nothing is written, and only once
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        Problem problem = Problem.of(status, status < 500
                ? "the request was refused before it reached the service: the path or the request line is "
                        + "malformed (an encoded '/', '\\' or NUL, or bytes that are not UTF-8)"
                : "the server failed before the request reached the service");
        try {
            response.setContentType(Problem.MEDIA_TYPE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(problem.toJson());
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the connection is gone or the response already committed: nothing more can be said
        }
    }
}
