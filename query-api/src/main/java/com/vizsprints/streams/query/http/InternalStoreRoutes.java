package com.vizsprints.streams.query.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.vizsprints.streams.query.service.BadRequestException;
import com.vizsprints.streams.query.service.PeerClient;
import com.vizsprints.streams.query.service.StorePeerService;
import io.javalin.http.Context;

import java.util.HashMap;
import java.util.Map;

/**
 * {@code GET /internal/v1/stores/{store}/{partition}?op=get|range|prefix}: this instance's store
 * entries for its peers (base64 keys and values, a page at a time). Not for dashboards.
 */
final class InternalStoreRoutes {
    private static final ObjectMapper JSON = new ObjectMapper();

    private InternalStoreRoutes() {
    }

    static void serve(Context ctx, StorePeerService peers) throws Exception {
        String store = ctx.pathParam("store");
        int partition;
        try {
            partition = Integer.parseInt(ctx.pathParam("partition"));
        } catch (NumberFormatException e) {
            throw new BadRequestException("partition", "partition must be an integer");
        }
        RequestParams p = new RequestParams(ctx);
        boolean stale = "true".equals(ctx.queryParam("stale"));
        int limit = p.integer("limit", 1, StorePeerService.MAX_PAGE) == null ? StorePeerService.MAX_PAGE
                : p.integer("limit", 1, StorePeerService.MAX_PAGE).intValue();
        String op = ctx.queryParam("op");
        Object body;
        try {
            body = switch (op == null ? "" : op) {
                case "get" -> {
                    Map<String, Object> m = new HashMap<>();
                    m.put("value", PeerClient.encode(peers.get(store, partition, stale, PeerClient.decode(ctx.queryParam("key")))));
                    yield m;
                }
                case "range" -> PeerClient.toJson(peers.range(store, partition, stale,
                        PeerClient.decode(ctx.queryParam("from")), PeerClient.decode(ctx.queryParam("to")), limit));
                case "prefix" -> PeerClient.toJson(peers.prefix(store, partition, stale,
                        PeerClient.decode(ctx.queryParam("prefix")), PeerClient.decode(ctx.queryParam("after")), limit));
                default -> throw new BadRequestException("op", "op must be get, range or prefix");
            };
        } catch (IllegalArgumentException badBase64) {
            throw new BadRequestException("key", "keys must be base64url: " + badBase64.getMessage());
        }
        ctx.contentType("application/json").result(JSON.writeValueAsBytes(body));
    }
}
