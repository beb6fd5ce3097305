package io.github.mlflowsecretsauth.testkit.fault;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Applies {@link Stalls} in front of a server's handler. {@link StallMode#NEVER_ANSWER}: the body is read
 * and the request is never completed. {@link StallMode#HEADERS_THEN_STALL}: the server's handler answers as
 * usual, but its one write is cut to the status, the headers (with the whole body's length) and half the
 * body, and its callback is never completed. Thread-safe.
 */
final class StallingHandler extends Handler.Wrapper {
    private final Stalls stalls;

    StallingHandler(Stalls stalls, Handler handler) {
        super(handler);
        this.stalls = stalls;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        StallMode mode = stalls.take(request.getHttpURI().getPath());
        if (mode == null) {
            return super.handle(request, response, callback);
        }
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        stalls.hold(endPoint);
        if (mode == StallMode.NEVER_ANSWER) {
            Content.Source.consumeAll(request);
            return true; // the callback is never completed: no answer at all
        }
        return super.handle(request, new HalfAnswer(request, response), Callback.NOOP);
    }

    /** Lets the status, the headers and half of the first write out; holds everything after. */
    private static final class HalfAnswer extends Response.Wrapper {
        private boolean sent;

        HalfAnswer(Request request, Response response) {
            super(request, response);
        }

        @Override
        public synchronized void write(boolean last, ByteBuffer content, Callback callback) {
            if (sent) {
                return; // held: neither written nor completed
            }
            sent = true;
            int length = content == null ? 0 : content.remaining();
            if (!getHeaders().contains(HttpHeader.CONTENT_LENGTH)) {
                getHeaders().put(HttpHeader.CONTENT_LENGTH, Math.max(length, 2));
            }
            ByteBuffer half = length == 0 ? ByteBuffer.allocate(0) : content.slice(content.position(), length / 2);
            super.write(false, half, Callback.NOOP);
        }
    }
}
