package io.ganserve.jobs;

/** Too many evaluations wait to be scored already; the client should ask again later. */
public final class EvaluationQueueFullException extends RuntimeException {

    public EvaluationQueueFullException(int capacity) {
        super("evaluation queue full: " + capacity + " evaluations already wait behind the one being scored;"
                + " retry later");
    }
}
