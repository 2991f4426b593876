package com.vizsprints.streams.query.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.kafka.streams.state.HostInfo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Calls another instance's internal store endpoint. Keys and values travel as base64 of the
 * bytes the stores hold; the public JSON never crosses between instances.
 */
public final class PeerClient {
    public static final String PATH = "/internal/v1/stores";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder UNB64 = Base64.getUrlDecoder();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String bearerToken;
    private final Duration timeout;

    public PeerClient(String bearerToken, Duration timeout) {
        this.bearerToken = bearerToken;
        this.timeout = timeout;
    }

    /** Thrown when a peer cannot answer (unreachable, not owning the partition any more, ...). */
    public static final class PeerUnavailableException extends RuntimeException {
        PeerUnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    public static final String PING_PATH = "/internal/v1/ping";
    private static final long LIVENESS_TTL_MS = 1000;
    private final java.util.Map<HostInfo, long[]> liveness = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * Whether a peer answers at all, remembered for a second, so a dead owner (SIGKILL, lost
     * host) is detected once per second instead of on every store call.
     */
    public boolean isReachable(HostInfo host) {
        long now = System.currentTimeMillis();
        long[] cached = liveness.get(host);
        if (cached != null && now - cached[0] < LIVENESS_TTL_MS) {
            return cached[1] == 1;
        }
        boolean up;
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + host.host() + ":" + host.port() + PING_PATH))
                    .timeout(Duration.ofMillis(1500)).GET();
            if (bearerToken != null) {
                request.header("Authorization", "Bearer " + bearerToken);
            }
            up = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            up = false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            up = false;
        }
        liveness.put(host, new long[]{now, up ? 1 : 0});
        return up;
    }

    public byte[] get(HostInfo host, String store, int partition, boolean stale, byte[] key) {
        JsonNode body = call(host, store, partition, "op=get&stale=" + stale + "&key=" + B64.encodeToString(key));
        JsonNode v = body.get("value");
        return v == null || v.isNull() ? null : UNB64.decode(v.asText());
    }

    public StorePeerService.Page range(HostInfo host, String store, int partition, boolean stale, byte[] from, byte[] to, int limit) {
        StringBuilder q = new StringBuilder("op=range&stale=").append(stale).append("&limit=").append(limit);
        if (from != null) {
            q.append("&from=").append(B64.encodeToString(from));
        }
        if (to != null) {
            q.append("&to=").append(B64.encodeToString(to));
        }
        return page(call(host, store, partition, q.toString()));
    }

    public StorePeerService.Page prefix(HostInfo host, String store, int partition, boolean stale, byte[] prefix, byte[] after, int limit) {
        StringBuilder q = new StringBuilder("op=prefix&stale=").append(stale).append("&limit=").append(limit)
                .append("&prefix=").append(B64.encodeToString(prefix));
        if (after != null) {
            q.append("&after=").append(B64.encodeToString(after));
        }
        return page(call(host, store, partition, q.toString()));
    }

    private static StorePeerService.Page page(JsonNode body) {
        List<byte[][]> entries = new ArrayList<>();
        for (JsonNode e : body.get("entries")) {
            entries.add(new byte[][]{UNB64.decode(e.get(0).asText()), UNB64.decode(e.get(1).asText())});
        }
        return new StorePeerService.Page(entries, body.get("more").asBoolean());
    }

    private JsonNode call(HostInfo host, String store, int partition, String query) {
        URI uri = URI.create("http://" + host.host() + ":" + host.port() + PATH + "/" + store + "/" + partition + "?" + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        try {
            HttpResponse<byte[]> r = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
                throw new PeerUnavailableException(host + " answered " + r.statusCode() + " for " + store + "/" + partition);
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new PeerUnavailableException(host + " unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerUnavailableException("interrupted calling " + host);
        }
    }

    /** Encodes a page as the internal endpoint's JSON body. */
    public static Object toJson(StorePeerService.Page page) {
        List<List<String>> entries = new ArrayList<>(page.entries().size());
        for (byte[][] e : page.entries()) {
            entries.add(List.of(B64.encodeToString(e[0]), B64.encodeToString(e[1])));
        }
        return java.util.Map.of("entries", entries, "more", page.more());
    }

    public static byte[] decode(String b64) {
        return b64 == null || b64.isEmpty() ? null : UNB64.decode(b64);
    }

    public static String encode(byte[] bytes) {
        return bytes == null ? null : B64.encodeToString(bytes);
    }
}
