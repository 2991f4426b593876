package com.vizsprints.streams.cli;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/** One-line descriptions of failures, with a hint for Kafka authentication and authorization errors. */
public final class KafkaErrors {
    private KafkaErrors() {
    }

    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SslAuthenticationException) {
                return "Kafka TLS handshake failed (check ssl.* in the Kafka client properties): " + t.getMessage();
            }
            if (t instanceof AuthenticationException) {
                return "Kafka authentication failed (check security.protocol, sasl.mechanism and sasl.jaas.config in the"
                        + " Kafka client properties): " + t.getMessage();
            }
            if (t instanceof AuthorizationException) {
                return "Kafka refused the operation (ACLs): " + t.getMessage();
            }
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.toString() : message.contains(e.getClass().getSimpleName())
                ? message : e.getClass().getSimpleName() + ": " + message;
    }

    /** True when {@code e} or a cause is a Kafka authentication or authorization failure. */
    public static boolean isAuthFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException) {
                return true;
            }
        }
        return false;
    }
}
