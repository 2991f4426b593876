package com.vizsprints.streams.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Writing small CSV files for tests, and finding the project's sample data. */
final class TestFiles {
    static final String USERS_HEADER = "user_id,joined_at,device,country,subscription_status,ab_variant";
    static final String EVENTS_HEADER = "event_id,user_id,event_name,timestamp,metadata";

    private TestFiles() {
    }

    /** Writes {@code lines}, each ended by a newline, to {@code dir/name}. */
    static Path write(Path dir, String name, String... lines) throws IOException {
        return writeRaw(dir, name, String.join("\n", lines) + "\n");
    }

    /** Writes {@code text} exactly. */
    static Path writeRaw(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * The sample data folder {@code shared/data/sample}, which lies beside the project: found by
     * walking up from the working directory (the module's folder under Maven), or given by the
     * system property {@code vizsprints.sample.dir}.
     */
    static Path sampleDir() {
        String configured = System.getProperty("vizsprints.sample.dir");
        if (configured != null) {
            return Paths.get(configured);
        }
        Path start = Paths.get("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared").resolve("data").resolve("sample");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/data/sample folder in " + start + " or any folder above it;"
                + " set -Dvizsprints.sample.dir=PATH");
    }
}
