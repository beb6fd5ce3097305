package io.github.mlflowsecretsauth.testkit.fault;

/** How a server answers a request that {@link Stalls} holds. */
public enum StallMode {
    /**
     * The real answer's status and headers go out, with a {@code Content-Length} for the whole body, then
     * half of the body, and then nothing more: the connection stays open and silent. What a backend that
     * hangs mid-answer (or a gateway with a stuck upstream) looks like; a client whose timeout covers only
     * the wait for headers hangs on it.
     */
    HEADERS_THEN_STALL,
    /** The request is read in full and nothing at all is answered; the connection stays open and silent. */
    NEVER_ANSWER
}
