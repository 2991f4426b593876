package com.vizsprints.streams.replay;

/** The command line is wrong; the message says how, naming the flag or file. */
public class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
