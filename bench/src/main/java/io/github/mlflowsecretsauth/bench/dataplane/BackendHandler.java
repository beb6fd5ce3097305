package io.github.mlflowsecretsauth.bench.dataplane;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;

/** The upstream side of one connection: passes each response's parts back to the client, flushing at its end. */
final class BackendHandler extends ChannelInboundHandlerAdapter {
    private final Channel client;

    BackendHandler(Channel client) {
        this.client = client;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpResponse) {
            Hop.strip(((HttpResponse) msg).headers());
        }
        if (msg instanceof LastHttpContent) {
            client.writeAndFlush(msg);
        } else {
            client.write(msg);
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        client.config().setAutoRead(ctx.channel().isWritable());
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        client.close();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
