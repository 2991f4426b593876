package com.vizsprints.streams.replay;

/** Hears about a replay as it runs. Called from the replay's thread. */
public interface ReplayListener {
    /** A listener that ignores everything. */
    ReplayListener NONE = new ReplayListener() {
    };

    /** A row that will not be published. */
    default void rejected(RejectedRow row) {
    }

    /** The replay starts publishing; {@code progress} can be read from any thread until it ends. */
    default void started(ReplayProgress progress) {
    }

    /** Progress worth telling a person, such as a topic being created. */
    default void info(String message) {
    }
}
