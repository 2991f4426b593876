package com.vizsprints.streams.app.bench;

import io.javalin.Javalin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The benchmark's baseline: a Javalin server, in a JVM of its own like the application, that
 * answers each dashboard request with a fixed body of the same size as the application's answer
 * (read from files written by the benchmark). What query latency cannot beat on this machine.
 *
 * <p>Arguments: {@code PORT DIR}, where DIR holds {@code N.json} bodies and {@code paths.txt}
 * (line N is the request path served with {@code N.json}).
 */
public final class HelloWorldServer {
    static final String READY = "hello-world baseline ready";

    private HelloWorldServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Path dir = Path.of(args[1]);
        Map<String, byte[]> bodies = new HashMap<>();
        var paths = Files.readAllLines(dir.resolve("paths.txt"));
        for (int i = 0; i < paths.size(); i++) {
            bodies.put(paths.get(i), Files.readAllBytes(dir.resolve(i + ".json")));
        }
        Javalin.create(cfg -> cfg.routes.get("/api/{endpoint}", ctx -> {
            String query = ctx.queryString();
            byte[] body = bodies.get(ctx.path() + (query == null ? "" : "?" + query));
            if (body == null) {
                ctx.status(404);
                return;
            }
            ctx.contentType("application/json").result(body);
        })).start("127.0.0.1", port);
        System.out.println(READY);
    }
}
