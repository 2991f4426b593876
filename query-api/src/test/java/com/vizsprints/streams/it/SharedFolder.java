package com.vizsprints.streams.it;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the project's {@code shared/} folder (sample data and goldens), which lies beside the checkout. */
public final class SharedFolder {
    private SharedFolder() {
    }

    public static Path locate() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path candidate = d.resolve("shared");
            if (Files.isDirectory(candidate.resolve("golden").resolve("sample"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/golden/sample beside " + Path.of("").toAbsolutePath() + " or its parents");
    }

    public static Path sampleData() {
        return locate().resolve("data").resolve("sample");
    }

    public static Path sampleGoldens() {
        return locate().resolve("golden").resolve("sample");
    }
}
