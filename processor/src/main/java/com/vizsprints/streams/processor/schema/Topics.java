package com.vizsprints.streams.processor.schema;

/**
 * The names of the topics the pipeline uses, declared once. Every name can be overridden
 * (flags or environment), so several pipelines can share a cluster.
 */
public record Topics(String users, String events, String deadLetter) {
    public static final String DEFAULT_USERS = "vizsprints.users";
    public static final String DEFAULT_EVENTS = "vizsprints.events";
    public static final String DEFAULT_DEAD_LETTER = "vizsprints.dead-letter";

    public static Topics defaults() {
        return new Topics(DEFAULT_USERS, DEFAULT_EVENTS, DEFAULT_DEAD_LETTER);
    }
}
