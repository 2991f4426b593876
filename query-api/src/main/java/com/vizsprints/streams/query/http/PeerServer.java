package com.vizsprints.streams.query.http;

import com.vizsprints.streams.query.service.BadRequestException;
import com.vizsprints.streams.query.service.NotReadyException;
import com.vizsprints.streams.query.service.PeerClient;
import com.vizsprints.streams.query.service.StorePeerService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The peer server: this instance's raw store entries for the other instances of the application
 * ({@link PeerClient#PING_PATH}, {@link PeerClient#PATH}), on its own bind address and port, never on
 * the public API port. Its address is what the instance advertises as {@code application.server}.
 * With a peer secret every request needs {@code Authorization: Bearer <secret>}.
 */
public final class PeerServer {
    private static final Logger LOG = LoggerFactory.getLogger(PeerServer.class);
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private PeerServer() {
    }

    /** A configured, not yet started Javalin app serving {@code peers}. */
    public static Javalin create(StorePeerService peers, PeerOptions options) {
        String expected = options.secret() == null ? null : "Bearer " + options.secret();
        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = 16_384;
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            cfg.routes.before(ctx -> {
                if (expected != null && !matches(ctx.header("Authorization"), expected)) {
                    ctx.header("WWW-Authenticate", "Bearer");
                    error(ctx, 401, "missing or wrong peer secret");
                    ctx.skipRemainingHandlers();
                }
            });
            cfg.routes.get(PeerClient.PING_PATH, ctx -> ctx.contentType("application/json").result("{\"ok\":true}"));
            cfg.routes.get(PeerClient.PATH + "/{store}/{partition}", ctx -> InternalStoreRoutes.serve(ctx, peers));
            cfg.routes.exception(BadRequestException.class, (e, ctx) -> error(ctx, 400, e.getMessage()));
            cfg.routes.exception(NotReadyException.class, (e, ctx) -> error(ctx, 503, "not ready: " + e.getMessage()));
            cfg.routes.exception(InvalidStateStoreException.class, (e, ctx) ->
                    error(ctx, 503, "not ready: " + e.getClass().getSimpleName()));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected failure answering peer request {}", ctx.path(), e);
                error(ctx, 500, "internal error");
            });
            cfg.routes.error(404, ctx -> {
                String type = ctx.res().getContentType();
                if (type == null || !type.startsWith("application/json")) {
                    error(ctx, 404, "no such peer endpoint");
                }
            });
            cfg.routes.error(405, ctx -> error(ctx, 405, "method not allowed"));
        });
    }

    private static boolean matches(String header, String expected) {
        return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }

    private static void error(Context ctx, int status, String message) {
        try {
            ctx.status(status).contentType("application/json").result(JSON.writeValueAsBytes(java.util.Map.of("error", message)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            ctx.status(status).contentType("application/json").result("{\"error\":\"error\"}");
        }
    }
}
