package com.vizsprints.streams.replay.generate;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What {@link DataGenerator} writes.
 *
 * @param users   number of users, from 1 to {@link DataGenerator#MAX_USERS}
 * @param seed    the seed; the same seed and options give byte-identical files
 * @param out     the directory receiving users.csv and events.csv (created if missing)
 * @param shuffle events in a random (seeded) order instead of time order
 */
public record GeneratorOptions(int users, long seed, Path out, boolean shuffle) {
    public static final long DEFAULT_SEED = 1L;

    public GeneratorOptions {
        Objects.requireNonNull(out, "out");
        if (users < 1 || users > DataGenerator.MAX_USERS) {
            throw new IllegalArgumentException("users must be from 1 to " + DataGenerator.MAX_USERS + ", got " + users);
        }
    }
}
