package com.vizsprints.streams.query.service;

/** A request parameter is invalid; answered with HTTP 400 and a JSON error naming it. */
public final class BadRequestException extends RuntimeException {
    private final String parameter;

    public BadRequestException(String parameter, String message) {
        super(message, null, false, false);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
