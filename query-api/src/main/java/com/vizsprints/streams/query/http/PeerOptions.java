package com.vizsprints.streams.query.http;

/**
 * Where this instance serves its stores to the other instances, apart from the public API.
 *
 * @param host   address the peer server binds to (null: the public {@code --host})
 * @param port   peer port; 0 picks a free port, advertised to the others as {@code application.server}
 * @param secret when non-null, every peer request needs {@code Authorization: Bearer <secret>}; all
 *               instances of one application id must share it (separate from the public API token)
 */
public record PeerOptions(String host, int port, String secret) {
    public static final String SECRET_ENV = "VIZSPRINTS_PEER_SECRET";

    public PeerOptions {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("peer port must be between 0 and 65535, got " + port);
        }
        if (secret != null && secret.isEmpty()) {
            secret = null;
        }
    }

    /** A free port on the public bind address, no secret. */
    public static PeerOptions defaults() {
        return new PeerOptions(null, 0, null);
    }
}
