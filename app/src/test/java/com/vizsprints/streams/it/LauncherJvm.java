package com.vizsprints.streams.it;

import com.vizsprints.streams.app.ChildJvm;
import com.vizsprints.streams.app.Main;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The launcher ({@code vizsprints <command> ...}) in its own JVM, for tests whose failure is a process failure. */
final class LauncherJvm {
    private LauncherJvm() {
    }

    static ChildJvm start(Path log, String... mainArgs) throws IOException {
        return start(log, List.of(), mainArgs);
    }

    /** The same with extra JVM options, e.g. {@code -Dvizsprints.streams.<property>=<value>} overrides. */
    static ChildJvm start(Path log, List<String> jvmOptions, String... mainArgs) throws IOException {
        List<String> options = new ArrayList<>(List.of("-Xmx768m"));
        options.addAll(jvmOptions);
        return ChildJvm.start(log.getFileName().toString(), log, options, Main.class.getName(), List.of(mainArgs));
    }
}
