package com.vizsprints.streams.it;

import com.vizsprints.streams.app.ChildJvm;
import com.vizsprints.streams.app.Main;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The launcher ({@code vizsprints <command> ...}) in its own JVM, for tests whose failure is a process failure. */
final class LauncherJvm {
    private LauncherJvm() {
    }

    static ChildJvm start(Path log, String... mainArgs) throws IOException {
        return ChildJvm.start(log.getFileName().toString(), log, List.of("-Xmx768m"), Main.class.getName(), List.of(mainArgs));
    }
}
