package io.github.mlflowsecretsauth.bench.dataplane;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.header.HeaderSnapshot;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * The client side of one connection: opens one upstream connection on the same event loop when the client
 * connects, puts the credential on each request's head and passes the request's parts on as they come (no
 * buffering). Responses come back in order on that connection ({@link BackendHandler}).
 */
final class FrontendHandler extends ChannelInboundHandlerAdapter {
    private final SecretsAuth auth;
    private final URI upstream;
    private final Class<? extends SocketChannel> clientType;
    private Channel backend;

    FrontendHandler(SecretsAuth auth, URI upstream, Class<? extends SocketChannel> clientType) {
        this.auth = auth;
        this.upstream = upstream;
        this.clientType = clientType;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel client = ctx.channel();
        client.config().setAutoRead(false);
        int port = upstream.getPort() > 0 ? upstream.getPort() : 80;
        new Bootstrap().group(client.eventLoop()).channel(clientType)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer(client))
                .connect(upstream.getHost(), port).addListener((ChannelFutureListener) f -> {
                    if (f.isSuccess()) {
                        backend = f.channel();
                        client.config().setAutoRead(true);
                    } else {
                        answerBadGateway(client);
                    }
                });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (backend == null || !backend.isActive()) {
            ReferenceCountUtil.release(msg);
            answerBadGateway(ctx.channel());
            return;
        }
        if (msg instanceof HttpRequest) {
            prepare((HttpRequest) msg);
        }
        if (msg instanceof LastHttpContent) {
            backend.writeAndFlush(msg);
        } else {
            backend.write(msg);
        }
    }

    private void prepare(HttpRequest request) {
        HttpHeaders h = request.headers();
        String clientHost = h.get(HttpHeaderNames.HOST);
        Hop.strip(h);
        h.set(HttpHeaderNames.HOST, upstream.getRawAuthority());
        h.set("X-Forwarded-Proto", "http");
        if (clientHost != null) {
            h.set("X-Forwarded-Host", clientHost);
        }
        HeaderSnapshot snapshot = auth.snapshotFor(upstream).orElse(null);
        if (snapshot != null) {
            snapshot.headers().forEach(h::set);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (backend != null) {
            backend.config().setAutoRead(ctx.channel().isWritable());
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (backend != null) {
            backend.close();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }

    private static void answerBadGateway(Channel client) {
        byte[] body = "{\"error_code\":\"UPSTREAM_UNAVAILABLE\"}\n".getBytes(StandardCharsets.UTF_8);
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.BAD_GATEWAY,
                Unpooled.wrappedBuffer(body));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, "close");
        client.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** The upstream connection's pipeline: an HTTP client codec, then the handler that answers the client. */
    private static final class ChannelInitializer extends io.netty.channel.ChannelInitializer<SocketChannel> {
        private final Channel client;

        ChannelInitializer(Channel client) {
            this.client = client;
        }

        @Override
        protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpClientCodec(), new BackendHandler(client));
        }
    }
}
