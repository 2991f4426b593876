package com.vizsprints.streams.replay;

/** The replay cannot go on: Kafka cannot be reached, topics cannot be set up, or publishing broke down. */
public class ReplayException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReplayException(String message) {
        super(message);
    }

    public ReplayException(String message, Throwable cause) {
        super(message, cause);
    }
}
