package com.vizsprints.streams.processor.topology;

/** An input record that cannot be processed; it goes to the dead-letter topic with this reason. */
final class PoisonRecordException extends RuntimeException {
    PoisonRecordException(String reason) {
        super(reason, null, false, false);
    }
}
