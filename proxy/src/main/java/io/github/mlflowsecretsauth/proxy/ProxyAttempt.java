package io.github.mlflowsecretsauth.proxy;

import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.github.mlflowsecretsauth.spi.RequestBody;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * One client request as the proxy forwards it, across its attempts: the body if it is kept for a replay (in memory
 * or spooled to a file), the credential the last attempt carried, the replays used, and the deadline for the
 * upstream's answer. Confined to the request's exchange: one attempt at a time.
 */
final class ProxyAttempt {
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "PUT", "DELETE");
    static final byte[][] NO_BODY = new byte[0][];

    final HeaderDeadline deadline;
    final byte[][] body; // in pieces, see BodyBuffer; null when the body streams or is spooled
    final Path file; // a spooled body (SigV4 signing of large bodies), deleted when the exchange ends
    final boolean idempotent;
    HeaderSnapshot sent;
    ReplayPolicy.Replays replays = ReplayPolicy.Replays.NONE;

    private ProxyAttempt(Duration upstreamTimeout, String method, byte[][] body, Path file) {
        this.deadline = new HeaderDeadline(upstreamTimeout);
        this.idempotent = IDEMPOTENT.contains(method);
        this.body = body;
        this.file = file;
    }

    /** A buffered (or absent) body. */
    static ProxyAttempt buffered(Duration upstreamTimeout, String method, byte[][] body) {
        return new ProxyAttempt(upstreamTimeout, method, body, null);
    }

    /** A body spooled to {@code file}. */
    static ProxyAttempt spooled(Duration upstreamTimeout, String method, Path file) {
        return new ProxyAttempt(upstreamTimeout, method, null, file);
    }

    /** A body that streams through: never replayed. */
    static ProxyAttempt streaming(Duration upstreamTimeout, String method) {
        return new ProxyAttempt(upstreamTimeout, method, null, null);
    }

    boolean replayable() {
        return body != null || file != null;
    }

    /** The request as the replay policy sees it now. */
    ReplayPolicy.Request forPolicy() {
        return new ReplayPolicy.Request(replayable(), idempotent, replays, deadline::allowsRetryAfter);
    }

    /** The body as a signature reads it; null when it streams through. */
    RequestBody signable() {
        return file != null ? RequestBody.of(file) : body != null ? RequestBody.of(body) : null;
    }
}
