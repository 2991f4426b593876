package com.vizsprints.streams.query.service;

/**
 * The state needed for an exact answer is not available right now (streams starting or
 * rebalancing, a partition owned by nobody reachable). Answered with HTTP 503 and Retry-After,
 * never with a silently partial answer.
 */
public final class NotReadyException extends RuntimeException {
    public NotReadyException(String message) {
        super(message, null, false, false);
    }
}
