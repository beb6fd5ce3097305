package io.github.mlflowsecretsauth.testkit.s3;

import io.github.mlflowsecretsauth.tracking.memory.internal.LoopbackJetty;

import io.github.mlflowsecretsauth.testkit.aws.AwsPrincipal;
import io.github.mlflowsecretsauth.testkit.aws.SigV4Result;
import io.github.mlflowsecretsauth.testkit.aws.SigV4Verifier;
import io.github.mlflowsecretsauth.testkit.aws.SignedRequest;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.proxy.ProxyHandler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

/**
 * An S3 front end for tests, in front of an S3 emulator that checks no signatures (Adobe S3Mock): it
 * checks each request's SigV4 signature as S3 does (unknown key → {@code 403 InvalidAccessKeyId}, wrong
 * secret → {@code 403 SignatureDoesNotMatch}), records which access key signed it, and forwards it with
 * Jetty's {@link ProxyHandler.Reverse}, bodies streaming both ways. Bodies are never buffered, so the
 * signature is checked over the payload hash the client declared ({@link SigV4Verifier#verifyDeclaredPayload});
 * the emulator checks the body's own checksums.
 *
 * <p>For failure tests it can answer the next requests of an operation with an S3 error, corrupt the body of
 * the next response of an operation, and hold {@code UploadPart} requests until a number of them are in
 * flight at once; it counts the most in flight at once per operation.
 *
 * <p>Thread-safe.
 */
public final class S3Gateway implements AutoCloseable {
    private static final long HOLD_LIMIT_SECONDS = 120;

    private final Server server;
    private final URI endpoint;
    private final List<S3Call> calls = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private final ReentrantLock holdLock = new ReentrantLock();
    private final Condition holdReached = holdLock.newCondition();
    private int holdParts;

    private S3Gateway(Server server, URI endpoint) {
        this.server = server;
        this.endpoint = endpoint;
    }

    /**
     * Starts a gateway on a free loopback port forwarding to {@code upstream}.
     *
     * @param principals the keys it accepts
     * @param region     the region the credential scope must name
     */
    public static S3Gateway start(URI upstream, Collection<AwsPrincipal> principals, String region) {
        Server server = LoopbackJetty.newServer("s3-gateway");
        ServerConnector connector = LoopbackJetty.http(server, LoopbackJetty.httpConfiguration(true), 0); // values as signed
        S3Gateway[] self = new S3Gateway[1];
        server.setHandler(new Forwarder(upstream, SigV4Verifier.of(principals), region, () -> self[0]));
        LoopbackJetty.start(server, "the S3 gateway");
        self[0] = new S3Gateway(server, URI.create("http://127.0.0.1:" + connector.getLocalPort()));
        return self[0];
    }

    /** Where S3 clients send requests (path-style). */
    public URI endpoint() {
        return endpoint;
    }

    /** Every request received so far, in order. */
    public List<S3Call> calls() {
        return List.copyOf(calls);
    }

    /** The access key ids that signed the requests of {@code operation}, in order ({@code "<none>"} for unsigned). */
    public List<String> signingKeys(String operation) {
        List<String> out = new ArrayList<>();
        for (S3Call c : calls) {
            if (c.operation().equals(operation)) {
                out.add(c.accessKeyId().orElse("<none>"));
            }
        }
        return out;
    }

    /** Answers the next {@code times} requests of {@code operation} with {@code status} and the S3 error {@code code}. */
    public void fail(String operation, int times, int status, String code) {
        faults.add(new Fault(operation, times, status, code, false));
    }

    /** Flips the first byte of the body of the next response to {@code operation} (e.g. {@code GetObject}). */
    public void corruptNextBody(String operation) {
        faults.add(new Fault(operation, 1, 0, null, true));
    }

    /**
     * Holds each {@code UploadPart} request until {@code parts} of them are in flight at once (then lets
     * all through and holds no more), so a test sees a client's parallelism without timing. A request
     * held longer than two minutes goes on.
     */
    public void holdUploadPartsUntilInFlight(int parts) {
        holdLock.lock();
        try {
            holdParts = parts;
        } finally {
            holdLock.unlock();
        }
    }

    /** The most requests of {@code operation} that were in flight at once. */
    public int maxInFlight(String operation) {
        AtomicInteger m = maxInFlight.get(operation);
        return m == null ? 0 : m.get();
    }

    /** Forgets the recorded calls, faults and counters. */
    public void reset() {
        calls.clear();
        faults.clear();
        maxInFlight.clear();
        holdUploadPartsUntilInFlight(0);
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("could not stop the S3 gateway", e);
        }
    }

    @Override
    public String toString() {
        return "S3Gateway[" + endpoint + "]";
    }

    private Fault takeFault(String operation, boolean corrupt) {
        for (Fault f : faults) {
            if (f.operation.equals(operation) && f.corrupt == corrupt && f.remaining.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                return f;
            }
        }
        return null;
    }

    private void entered(String operation) {
        int now = inFlight.computeIfAbsent(operation, o -> new AtomicInteger()).incrementAndGet();
        maxInFlight.computeIfAbsent(operation, o -> new AtomicInteger()).accumulateAndGet(now, Math::max);
        if (!operation.equals("UploadPart")) {
            return;
        }
        holdLock.lock();
        try {
            if (holdParts <= 0) {
                return;
            }
            if (now >= holdParts) {
                holdParts = 0;
                holdReached.signalAll();
                return;
            }
            long nanos = TimeUnit.SECONDS.toNanos(HOLD_LIMIT_SECONDS);
            while (holdParts > 0 && nanos > 0) {
                nanos = holdReached.awaitNanos(nanos);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            holdLock.unlock();
        }
    }

    private void left(String operation) {
        inFlight.get(operation).decrementAndGet();
    }

    static String errorXml(String code, String message, String resource) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
                + "</Message><Resource>" + resource.replace("&", "&amp;").replace("<", "&lt;") + "</Resource>"
                + "<RequestId>s3-gateway</RequestId></Error>";
    }

    private static final class Fault {
        final String operation;
        final AtomicInteger remaining;
        final int status;
        final String code;
        final boolean corrupt;

        Fault(String operation, int times, int status, String code, boolean corrupt) {
            this.operation = operation;
            this.remaining = new AtomicInteger(times);
            this.status = status;
            this.code = code;
            this.corrupt = corrupt;
        }
    }

    /** The Jetty handler: check, record, maybe fail, forward. */
    private static final class Forwarder extends ProxyHandler.Reverse {
        private static final String CORRUPT = Forwarder.class.getName() + ".corrupt";
        private final SigV4Verifier verifier;
        private final String region;
        private final java.util.function.Supplier<S3Gateway> gateway;

        Forwarder(URI upstream, SigV4Verifier verifier, String region, java.util.function.Supplier<S3Gateway> gateway) {
            super(request -> HttpURI.build(request.getHttpURI()).scheme(upstream.getScheme()).host(upstream.getHost())
                    .port(upstream.getPort()));
            this.verifier = verifier;
            this.region = region;
            this.gateway = gateway;
        }

        @Override
        protected void configureHttpClient(org.eclipse.jetty.client.HttpClient client) {
            super.configureHttpClient(client);
            // S3Mock assembles a completed multipart upload before it answers: minutes for gigabytes on a busy machine.
            client.setIdleTimeout(TimeUnit.MINUTES.toMillis(15));
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            S3Gateway g = gateway.get();
            String rawPath = request.getHttpURI().getPath();
            String rawQuery = request.getHttpURI().getQuery();
            String operation = S3Operations.operation(request.getMethod(), rawPath, rawQuery,
                    request.getHeaders().contains("x-amz-copy-source"));
            String[] bk = S3Operations.bucketAndKey(rawPath);
            SigV4Result result = verifier.verifyDeclaredPayload(SignedRequest.of(request, null), region, "s3");
            g.calls.add(new S3Call(request.getMethod(), operation, bk[0], bk[1], result.accessKeyId(), result.outcome().name()));
            String resource = "/" + bk[0] + (bk[1].isEmpty() ? "" : "/" + bk[1]);
            if (!result.valid()) {
                String code = switch (result.outcome()) {
                    case UNKNOWN_KEY -> "InvalidAccessKeyId";
                    case BAD_SIGNATURE -> "SignatureDoesNotMatch";
                    case EXPIRED_TOKEN -> "ExpiredToken";
                    default -> "AccessDenied";
                };
                return error(request, response, callback, 403, code, "The request was refused: " + result.detail(), resource);
            }
            Fault fault = g.takeFault(operation, false);
            if (fault != null) {
                return error(request, response, callback, fault.status, fault.code, "Injected by the test", resource);
            }
            if (g.takeFault(operation, true) != null) {
                request.setAttribute(CORRUPT, Boolean.TRUE);
            }
            g.entered(operation);
            return super.handle(request, response, new Callback() {
                @Override
                public void succeeded() {
                    g.left(operation);
                    callback.succeeded();
                }

                @Override
                public void failed(Throwable x) {
                    g.left(operation);
                    callback.failed(x);
                }

                @Override
                public InvocationType getInvocationType() {
                    return callback.getInvocationType();
                }
            });
        }

        private static boolean error(Request request, Response response, Callback callback, int status, String code,
                                     String message, String resource) {
            try {
                // Read and drop the upload first: a client still writing its body when the answer comes cannot read it.
                Content.Source.consumeAll(request);
            } catch (IOException e) {
                callback.failed(e);
                return true;
            }
            response.setStatus(status);
            if (request.getMethod().equals("HEAD")) {
                callback.succeeded();
                return true;
            }
            byte[] body = errorXml(code, message, resource).getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/xml");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return true;
        }

        @Override
        protected org.eclipse.jetty.client.Response.CompleteListener newServerToProxyResponseListener(Request request,
                org.eclipse.jetty.client.Request toServer, Response response, Callback callback) {
            if (request.getAttribute(CORRUPT) == null) {
                return super.newServerToProxyResponseListener(request, toServer, response, callback);
            }
            return new ProxyResponseListener(request, toServer, response, callback) {
                private boolean flipped;

                @Override
                public void onContent(org.eclipse.jetty.client.Response fromServer, Content.Chunk chunk, Runnable demander) {
                    ByteBuffer b = chunk.getByteBuffer();
                    if (flipped || !b.hasRemaining()) {
                        super.onContent(fromServer, chunk, demander);
                        return;
                    }
                    flipped = true;
                    byte[] copy = new byte[b.remaining()];
                    b.slice().get(copy);
                    copy[0] ^= 0x01;
                    super.onContent(fromServer, Content.Chunk.from(ByteBuffer.wrap(copy), chunk.isLast()), demander);
                }
            };
        }
    }
}
