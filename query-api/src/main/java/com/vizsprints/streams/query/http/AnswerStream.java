package com.vizsprints.streams.query.http;

import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * {@code GET /api/stream}: Server-Sent Events carrying the dashboard answers.
 *
 * <p>One ticker per server, once per commit interval, reads each dashboard answer through the
 * {@link AnswerCache} (the same rendered bytes a {@code GET} gets, refreshed off the request
 * path; reading it every tick keeps it fresh), and when an answer's bytes differ from the last
 * pushed ones it pushes them, as one event named after the endpoint, to every open stream. An
 * answer is thus rendered once per interval however many clients listen, and nothing is pushed
 * while nothing changes apart from a keep-alive comment. The ticker runs only while a stream is
 * open. A client that connects gets the current answers first.
 *
 * <p>Streams hold no thread (Jetty async); a push is a write of already rendered bytes, done by
 * a small writer pool so that a slow client delays only itself (and skips to the newest answer).
 */
final class AnswerStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AnswerStream.class);
    private static final int WRITERS = 4;

    /** The last pushed answer of one endpoint; {@code seq} orders answers, so no client goes back to an older one. */
    private record Snapshot(long seq, byte[] body) {
    }

    private final Map<String, Supplier<byte[]>> sources;
    private final long tickMillis;
    private final long keepAliveMillis;
    private final Map<String, Snapshot> latest = new ConcurrentHashMap<>();
    private final Set<Client> clients = ConcurrentHashMap.newKeySet();
    private final AtomicLong seq = new AtomicLong();
    private final AtomicLong pushes = new AtomicLong();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "answer-stream");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Long> broadcastSeq = new ConcurrentHashMap<>();
    private volatile long lastKeepAliveNanos = System.nanoTime();
    /** Writes to the streams: a slow client holds one writer at most while the others go on. */
    private final java.util.concurrent.ExecutorService writers = Executors.newFixedThreadPool(WRITERS, r -> {
        Thread t = new Thread(r, "answer-stream-writer");
        t.setDaemon(true);
        return t;
    });

    /**
     * @param sources        event name to the rendered answer (through the answer cache), in push order
     * @param tickMillis     how often answers are checked for a change (the commit interval)
     * @param keepAliveMillis how often an idle stream gets a comment
     */
    AnswerStream(Map<String, Supplier<byte[]>> sources, long tickMillis, long keepAliveMillis) {
        this.sources = new LinkedHashMap<>(sources);
        this.tickMillis = Math.max(10, tickMillis);
        this.keepAliveMillis = keepAliveMillis;
        ticker.scheduleWithFixedDelay(this::tick, this.tickMillis, this.tickMillis, TimeUnit.MILLISECONDS);
    }

    /** The Javalin handler of the stream; a request that does not accept {@code text/event-stream} gets a 406. */
    SseHandler handler() {
        return new SseHandler(this::open);
    }

    static boolean acceptsEventStream(Context ctx) {
        String accept = ctx.header("Accept");
        return accept != null && accept.contains("text/event-stream");
    }

    int openStreams() {
        return clients.size();
    }

    /** Events pushed so far (all clients together). */
    long pushes() {
        return pushes.get();
    }

    private void open(SseClient sse) {
        Client client = new Client(sse);
        sse.onClose(() -> clients.remove(client));
        sse.keepAlive();
        sse.ctx().res().setHeader("Cache-Control", "no-cache, no-transform");
        clients.add(client);
        // The current answers first: the last pushed ones, or computed now when none was pushed yet
        // (the first client of an idle server). The ticker may push the same or a newer one meanwhile;
        // sequence numbers keep each client on the newest.
        for (String name : sources.keySet()) {
            Snapshot s = latest.get(name);
            if (s == null) {
                s = refresh(name);
            }
            if (s != null) {
                client.offer(name, s);
            }
        }
    }

    /** Reads one answer; a new snapshot when its bytes changed, else the last one; null when not answerable now. */
    private Snapshot refresh(String name) {
        byte[] body;
        try {
            body = sources.get(name).get();
        } catch (RuntimeException notNow) {
            // Not ready (rebalancing, a peer down): keep the last pushed answer, try again next tick.
            LOG.debug("stream: {} not answerable now: {}", name, notNow.toString());
            return latest.get(name);
        }
        synchronized (latest) {
            Snapshot last = latest.get(name);
            if (last != null && (last.body() == body || Arrays.equals(last.body(), body))) {
                return last;
            }
            Snapshot next = new Snapshot(seq.incrementAndGet(), body);
            latest.put(name, next);
            return next;
        }
    }

    private void tick() {
        try {
            if (clients.isEmpty()) {
                latest.clear(); // nobody listens: stop refreshing; the next client starts from fresh answers
                broadcastSeq.clear();
                return;
            }
            for (String name : sources.keySet()) {
                Snapshot now = refresh(name);
                if (now != null && now.seq() > broadcastSeq.getOrDefault(name, 0L)) {
                    broadcastSeq.put(name, now.seq());
                    for (Client c : clients) {
                        c.offer(name, now);
                    }
                }
            }
            if (System.nanoTime() - lastKeepAliveNanos >= keepAliveMillis * 1_000_000) {
                lastKeepAliveNanos = System.nanoTime();
                for (Client c : clients) {
                    c.keepAlive();
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("stream tick failed", e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        writers.shutdownNow();
        for (Client c : clients) {
            c.sse.close();
        }
        clients.clear();
    }

    /**
     * One open stream. Its writes run on the writer pool, one at a time; answers waiting to be
     * written are coalesced (a slow client skips versions and gets the newest), and it never
     * receives an answer older than one it got.
     */
    private final class Client {
        final SseClient sse;
        private final Map<String, Snapshot> pending = new LinkedHashMap<>(); // guarded by this
        private final Map<String, Long> sent = new HashMap<>(); // guarded by this
        private boolean scheduled; // guarded by this
        private final Object io = new Object();

        Client(SseClient sse) {
            this.sse = sse;
        }

        void offer(String name, Snapshot s) {
            synchronized (this) {
                Long last = sent.get(name);
                Snapshot waiting = pending.get(name);
                if (last != null && last >= s.seq() || waiting != null && waiting.seq() >= s.seq()) {
                    return;
                }
                pending.put(name, s);
                if (scheduled) {
                    return;
                }
                scheduled = true;
            }
            execute(this::drain);
        }

        private void drain() {
            while (true) {
                String name;
                Snapshot s;
                synchronized (this) {
                    if (pending.isEmpty() || sse.terminated()) {
                        pending.clear();
                        scheduled = false;
                        return;
                    }
                    var it = pending.entrySet().iterator();
                    var next = it.next();
                    it.remove();
                    name = next.getKey();
                    s = next.getValue();
                    sent.put(name, s.seq());
                }
                String data = new String(s.body(), StandardCharsets.UTF_8);
                if (write(() -> sse.sendEvent(name, data))) {
                    pushes.incrementAndGet();
                }
            }
        }

        void keepAlive() {
            execute(() -> write(() -> sse.sendComment("keep-alive")));
        }

        private void execute(Runnable task) {
            try {
                writers.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException closing) {
                // the server is stopping
            }
        }

        /** Writes unless the stream ended; a stream that fails or ends leaves the set. */
        private boolean write(Runnable send) {
            synchronized (io) {
                if (!sse.terminated()) {
                    try {
                        send.run();
                    } catch (RuntimeException gone) {
                        sse.close();
                    }
                }
                if (sse.terminated()) {
                    clients.remove(this);
                    return false;
                }
                return true;
            }
        }
    }
}
