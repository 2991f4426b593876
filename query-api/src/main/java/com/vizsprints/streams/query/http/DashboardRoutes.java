package com.vizsprints.streams.query.http;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;

import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.Adler32;
import java.util.zip.CRC32C;

/**
 * The live dashboard: its page at {@code /} (static assets under {@code dashboard/} on the
 * classpath, the chart library from its webjar under {@code /webjars/}), the push stream
 * {@code GET /api/stream}, and the HTTP caching of every GET answer ({@link #etag}).
 */
public final class DashboardRoutes {
    /** Path of the Server-Sent Events stream of dashboard answers. */
    public static final String STREAM_PATH = "/api/stream";
    /** How often an idle stream gets a keep-alive comment. */
    static final long KEEP_ALIVE_MILLIS = 15_000;

    private DashboardRoutes() {
    }

    /**
     * Registers the page, the webjars and the stream; {@code sources} maps each event name to its
     * rendered default answer (through the answer cache, as a GET). Returns the stream (closed
     * with the server).
     */
    static AnswerStream register(JavalinConfig cfg, Map<String, Supplier<byte[]>> sources, long tickMillis) {
        cfg.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = "/dashboard";
            files.location = Location.CLASSPATH;
            files.headers = Map.of("Cache-Control", "no-cache");
        });
        cfg.staticFiles.enableWebjars();
        AnswerStream stream = new AnswerStream(sources, tickMillis, KEEP_ALIVE_MILLIS);
        var handler = stream.handler();
        cfg.routes.get(STREAM_PATH, ctx -> {
            if (!AnswerStream.acceptsEventStream(ctx)) {
                ctx.status(406).contentType("application/json").result(
                        "{\"error\":\"" + STREAM_PATH + " is a Server-Sent Events stream: send Accept: text/event-stream\"}");
                return;
            }
            handler.handle(ctx);
        });
        cfg.events.serverStopping(stream::close);
        return stream;
    }

    /**
     * A strong validator of a rendered answer: its length and two independent 32-bit checksums
     * (CRC-32C and Adler-32, both intrinsics of the JVM), so computing it costs far less than
     * rendering the answer.
     */
    static String etag(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        Adler32 adler = new Adler32();
        adler.update(body);
        return '"' + Integer.toHexString(body.length) + '-' + hex8(crc.getValue()) + '-' + hex8(adler.getValue()) + '"';
    }

    /** An unsigned 32-bit value as eight hex digits, zero-padded. */
    private static String hex8(long value) {
        String hex = Long.toHexString(value);
        return "00000000".substring(hex.length()) + hex;
    }
}
