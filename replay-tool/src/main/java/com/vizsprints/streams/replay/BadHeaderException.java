package com.vizsprints.streams.replay;

import java.io.IOException;

/** An input file whose first line is not the expected header, so none of it can be read. */
public class BadHeaderException extends IOException {
    private static final long serialVersionUID = 1L;

    public BadHeaderException(String message) {
        super(message);
    }
}
