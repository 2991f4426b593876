package com.vizsprints.streams.query.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.query.service.AnalyticsQueryService;
import com.vizsprints.streams.query.service.BadRequestException;
import com.vizsprints.streams.query.service.NotReadyException;
import com.vizsprints.streams.query.service.PeerClient;
import com.vizsprints.streams.query.service.Queries.AbTestQuery;
import com.vizsprints.streams.query.service.Queries.EventsQuery;
import com.vizsprints.streams.query.service.Queries.SessionsQuery;
import com.vizsprints.streams.query.service.Queries.Simulation;
import com.vizsprints.streams.query.service.Queries.UsersQuery;
import com.vizsprints.streams.processor.schema.IndexKeys.SessionOrder;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The HTTP layer: routes, parameter validation, CORS, errors. It does IO only; every answer
 * comes from {@link AnalyticsQueryService}.
 */
public final class ApiServer {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_LIMIT = Integer.MAX_VALUE;
    private static final String STARTED_AT = "vizsprints.startedAt";

    private final AnalyticsQueryService service;
    private final ApiOptions options;
    private final AnswerCache<RenderedAnswer> answers;

    private ApiServer(AnalyticsQueryService service, ApiOptions options) {
        this.service = service;
        this.options = options;
        this.answers = new AnswerCache<>(options.answerMaxAgeMillis(), ApiOptions.ANSWER_MAX_STALE_MILLIS, service::dataVersion);
    }

    /** A configured, not yet started Javalin app with meters and probes of its own (no stream processing bound). */
    public static Javalin create(AnalyticsQueryService service, ApiOptions options) {
        Operations ops = new Operations();
        return create(service, options, ops, true);
    }

    /**
     * A configured, not yet started Javalin app: the public API, {@code /metrics}, the probes and
     * {@code /openapi.json}. The peer endpoints are not here: {@link PeerServer} serves them on a
     * port of their own.
     */
    public static Javalin create(AnalyticsQueryService service, ApiOptions options, Operations ops) {
        return create(service, options, ops, false);
    }

    private static Javalin create(AnalyticsQueryService service, ApiOptions options, Operations ops, boolean ownsOps) {
        ApiServer api = new ApiServer(service, options);
        ops.bindAnswerCache(api.answers);
        return Javalin.create(cfg -> {
            cfg.events.serverStopped(() -> {
                api.answers.close();
                if (ownsOps) {
                    ops.close();
                }
            });
            cfg.startup.showJavalinBanner = false;
            cfg.http.maxRequestSize = 16_384;
            QueuedThreadPool threads = new QueuedThreadPool(options.requestThreads(), Math.min(options.requestThreads(), 4));
            threads.setName("vizsprints-http");
            cfg.jetty.threadPool = threads;
            cfg.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            cfg.requestLogger.http(ops::recordRequest);
            cfg.routes.before(ctx -> ctx.attribute(STARTED_AT, System.nanoTime()));
            cfg.routes.before(api::cors);
            cfg.routes.before("/api/*", api::authorize);
            cfg.routes.before(ApiServer::checkQueryString);
            cfg.routes.get("/api/health", api::health);
            cfg.routes.get(OpsPaths.METRICS, ctx -> {
                serverTiming(ctx);
                ctx.contentType(Operations.CONTENT_TYPE).result(ops.scrape());
            });
            cfg.routes.get(OpsPaths.LIVEZ, ctx -> api.probe(ctx, ops.liveness()));
            cfg.routes.get(OpsPaths.READYZ, ctx -> api.probe(ctx, ops.readiness()));
            cfg.routes.get(OpsPaths.OPENAPI, ctx -> send(ctx, 200, OpenApiDocument.bytes()));
            cfg.routes.get("/api/users", api::users);
            cfg.routes.get("/api/events", api::events);
            cfg.routes.get("/api/metrics", ctx -> api.answer(ctx, AnalyticsQueryService::metrics));
            cfg.routes.get("/api/funnel", ctx -> api.answer(ctx, AnalyticsQueryService::funnel));
            cfg.routes.get("/api/cohorts", ctx -> api.answer(ctx, AnalyticsQueryService::cohorts));
            cfg.routes.get("/api/ab-test", api::abTest);
            cfg.routes.get("/api/user-sessions", api::userSessions);
            cfg.routes.get("/api/kpi-time-series", ctx -> api.answer(ctx, AnalyticsQueryService::kpiTimeSeries));
            DashboardRoutes.register(cfg, api.streamSources(), ApiOptions.DEFAULT_ANSWER_MAX_AGE_MILLIS);
            cfg.routes.options("/*", ctx -> ctx.status(204));
            cfg.routes.exception(BadRequestException.class, (e, ctx) -> api.error(ctx, 400, e.getMessage(), e.parameter()));
            cfg.routes.exception(NotReadyException.class, (e, ctx) -> {
                ctx.header("Retry-After", "1");
                api.error(ctx, 503, "not ready: " + e.getMessage(), null);
            });
            cfg.routes.exception(org.apache.kafka.streams.errors.InvalidStateStoreException.class, (e, ctx) -> {
                ctx.header("Retry-After", "1");
                api.error(ctx, 503, "not ready: state is migrating between instances (" + e.getClass().getSimpleName() + ")", null);
            });
            cfg.routes.exception(PeerClient.PeerUnavailableException.class, (e, ctx) -> {
                ctx.header("Retry-After", "1");
                api.error(ctx, 503, "not ready: " + e.getMessage(), null);
            });
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected failure answering {}", ctx.path(), e);
                api.error(ctx, 500, "internal error", null);
            });
            cfg.routes.error(404, ctx -> {
                if (!isJson(ctx)) {
                    api.error(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path(), null);
                }
            });
            cfg.routes.error(405, ctx -> api.error(ctx, 405, "method " + ctx.method() + " not allowed on " + ctx.path(), null));
        });
    }

    static final int MAX_QUERY_STRING = 4096;

    /** Rejects query strings that are too long or not valid percent-encoding, whatever the endpoint. */
    private static void checkQueryString(Context ctx) {
        String query = ctx.queryString();
        if (query == null) {
            return;
        }
        if (query.length() > MAX_QUERY_STRING) {
            throw new BadRequestException("query", "query string longer than " + MAX_QUERY_STRING + " characters");
        }
        try {
            java.net.URLDecoder.decode(query, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("query", "malformed query string: " + e.getMessage());
        }
    }

    private static boolean isJson(Context ctx) {
        String type = ctx.res().getContentType();
        return type != null && type.startsWith("application/json");
    }

    private void cors(Context ctx) {
        String origin = ctx.header("Origin");
        if (options.allowedOrigins().contains("*")) {
            ctx.header("Access-Control-Allow-Origin", "*");
        } else if (origin != null && options.allowedOrigins().contains(origin)) {
            ctx.header("Access-Control-Allow-Origin", origin);
            ctx.header("Vary", "Origin");
        }
        if (ctx.method() == HandlerType.OPTIONS) {
            ctx.header("Access-Control-Allow-Methods", "GET, OPTIONS");
            String requested = ctx.header("Access-Control-Request-Headers");
            ctx.header("Access-Control-Allow-Headers", requested == null ? "Authorization, Content-Type" : requested);
        }
    }

    private void authorize(Context ctx) {
        if (options.apiToken() == null || ctx.method() == HandlerType.OPTIONS || ctx.path().equals("/api/health")) {
            return;
        }
        String header = ctx.header("Authorization");
        if (header == null || !constantTimeEquals(header, "Bearer " + options.apiToken())) {
            ctx.header("WWW-Authenticate", "Bearer");
            error(ctx, 401, "missing or wrong bearer token", null);
            ctx.skipRemainingHandlers();
        }
    }

    private static boolean constantTimeEquals(String a, String b) {
        return java.security.MessageDigest.isEqual(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * {@code /api/health}: the service's figures; {@code "status": "failed"} with 503 once stream
     * processing has failed or stopped for good (it never says healthy then).
     */
    private void health(Context ctx) {
        Map<String, Object> body = service.health();
        Object state = body.get("streams_state");
        if (state != null && Operations.FAILED_STATES.contains(state.toString())) {
            body.put("status", "failed");
            json(ctx, 503, body);
            return;
        }
        json(ctx, 200, body);
    }

    private void probe(Context ctx, Operations.Probe probe) {
        ctx.header("Cache-Control", "no-store");
        json(ctx, probe.status(), probe.body());
    }

    private void users(Context ctx) {
        RequestParams p = new RequestParams(ctx);
        UsersQuery q = new UsersQuery(p.text("country"), p.text("device"), p.text("subscription_status"),
                orDefault(p.integer("limit", 0, MAX_LIMIT), UsersQuery.DEFAULT_LIMIT).intValue(),
                orDefault(p.integer("offset", 0, MAX_LIMIT), 0L).intValue());
        answer(ctx, svc -> svc.users(q));
    }

    private void events(Context ctx) {
        RequestParams p = new RequestParams(ctx);
        EventsQuery q = new EventsQuery(p.text("user_id"), p.text("event_name"), p.instant("start_date"), p.instant("end_date"));
        answer(ctx, svc -> svc.events(q));
    }

    private void abTest(Context ctx) {
        RequestParams p = new RequestParams(ctx);
        double confidence = orDefault(p.number("confidence_level", 0, 1, true), AbTestQuery.DEFAULT_CONFIDENCE);
        Long limit = positiveOrNone(p.integer("limit", 0, Long.MAX_VALUE));
        Long eventLimit = positiveOrNone(p.integer("event_limit", 0, Long.MAX_VALUE));
        List<String> manual = List.of("manual_n_a", "manual_conv_a", "manual_n_b", "manual_conv_b");
        List<String> given = new ArrayList<>();
        manual.forEach(name -> {
            if (p.has(name)) {
                given.add(name);
            }
        });
        Simulation simulation = null;
        if (given.size() == manual.size()) {
            simulation = new Simulation(p.integer("manual_n_a", 0, MAX_LIMIT), p.number("manual_conv_a", 0, 100, false),
                    p.integer("manual_n_b", 0, MAX_LIMIT), p.number("manual_conv_b", 0, 100, false));
        } else if (!given.isEmpty()) {
            List<String> missing = new ArrayList<>(manual);
            missing.removeAll(given);
            throw new BadRequestException(missing.get(0), "simulation mode needs all of " + manual + "; missing " + missing);
        }
        AbTestQuery q = new AbTestQuery(confidence, limit, eventLimit, simulation);
        answer(ctx, svc -> svc.abTest(q));
    }

    /** The reference ignores a limit of 0 ("if limit and limit > 0"). */
    private static Long positiveOrNone(Long n) {
        return n == null || n == 0 ? null : n;
    }

    private void userSessions(Context ctx) {
        RequestParams p = new RequestParams(ctx);
        long limit = orDefault(p.integer("limit", 0, Long.MAX_VALUE), SessionsQuery.DEFAULT_LIMIT);
        String sortBy = orDefault(p.text("sort_by"), "total_hours");
        SessionOrder order = AnalyticsQueryService.sessionOrder(sortBy);
        if (order == null) {
            throw new BadRequestException("sort_by", "parameter 'sort_by' must be one of total_hours, total_sessions, last_activity");
        }
        SessionsQuery q = new SessionsQuery(limit, order);
        answer(ctx, svc -> svc.userSessions(q));
    }

    /**
     * Answers from all partitions, or with {@code allow_partial=true} from those available,
     * saying so: {@code "partial": true} and {@code "missing_partitions"} in an object answer,
     * and the {@code X-Partial-Missing-Partitions} header on every partial answer.
     */
    private void answer(Context ctx, java.util.function.Function<AnalyticsQueryService, Object> query) {
        String flag = new RequestParams(ctx).text("allow_partial");
        if (flag != null && !flag.equals("true") && !flag.equals("false")) {
            throw new BadRequestException("allow_partial", "parameter 'allow_partial' must be true or false");
        }
        if (!"true".equals(flag)) {
            String key = ctx.path() + "?" + (ctx.queryString() == null ? "" : ctx.queryString());
            send(ctx, answers.get(key, () -> RenderedAnswer.of(render(query.apply(service)))));
            return;
        }
        AnalyticsQueryService partial = service.partialAnswers();
        Object body = query.apply(partial);
        List<Integer> missing = partial.missingPartitions();
        if (!missing.isEmpty()) {
            ctx.header("X-Partial-Missing-Partitions", missing.toString());
            if (body instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> withFlags = new LinkedHashMap<>((Map<String, Object>) map);
                withFlags.put("partial", true);
                withFlags.put("missing_partitions", missing);
                body = withFlags;
            }
        }
        json(ctx, 200, body);
    }

    /** The answers {@code /api/stream} pushes: the dashboard endpoints with default parameters, through the answer cache as their GET. */
    private Map<String, java.util.function.Supplier<byte[]>> streamSources() {
        Map<String, java.util.function.Function<AnalyticsQueryService, Object>> queries = new LinkedHashMap<>();
        queries.put("metrics", AnalyticsQueryService::metrics);
        queries.put("funnel", AnalyticsQueryService::funnel);
        queries.put("cohorts", AnalyticsQueryService::cohorts);
        queries.put("kpi-time-series", AnalyticsQueryService::kpiTimeSeries);
        queries.put("ab-test", svc -> svc.abTest(new AbTestQuery(AbTestQuery.DEFAULT_CONFIDENCE, null, null, null)));
        queries.put("user-sessions", svc -> svc.userSessions(new SessionsQuery(SessionsQuery.DEFAULT_LIMIT, SessionOrder.TOTAL_HOURS)));
        Map<String, java.util.function.Supplier<byte[]>> sources = new LinkedHashMap<>();
        queries.forEach((name, query) -> sources.put(name,
                () -> answers.get("/api/" + name + "?", () -> RenderedAnswer.of(render(query.apply(service)))).json()));
        return sources;
    }

    private static <T> T orDefault(T value, T fallback) {
        return value == null ? fallback : value;
    }

    private static byte[] render(Object body) {
        try {
            return JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render answer as JSON", e);
        }
    }

    /** Time spent in this server on the request, as a standard {@code Server-Timing} header. */
    private static void serverTiming(Context ctx) {
        Long started = ctx.attribute(STARTED_AT);
        if (started != null) {
            ctx.header("Server-Timing", "app;dur=" + millisWithThreeDecimals(System.nanoTime() - started));
        }
    }

    /** {@code nanos} as milliseconds with three decimals ({@code String.format} cost 8% of a cached answer's CPU). */
    static String millisWithThreeDecimals(long nanos) {
        long micros = (nanos + 500) / 1000;
        long fraction = micros % 1000;
        return (micros / 1000) + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }

    private void json(Context ctx, int status, Object body) {
        send(ctx, status, render(body));
    }

    private static void send(Context ctx, int status, byte[] json) {
        if (status == 200) {
            send(ctx, RenderedAnswer.of(json));
            return;
        }
        serverTiming(ctx);
        ctx.status(status).contentType("application/json").result(json);
    }

    /** A 200 answer with its ETag (Javalin answers 304, without a body, when it equals {@code If-None-Match}). */
    private static void send(Context ctx, RenderedAnswer answer) {
        serverTiming(ctx);
        ctx.header("ETag", answer.etag());
        ctx.status(200).contentType("application/json").result(answer.json());
    }

    private void error(Context ctx, int status, String message, String parameter) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        if (parameter != null) {
            body.put("parameter", parameter);
        }
        json(ctx, status, body);
    }
}
