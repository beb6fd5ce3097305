package io.github.mlflowsecretsauth.bench.dataplane;

import io.github.mlflowsecretsauth.SecretsAuth;
import io.github.mlflowsecretsauth.config.Settings;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;

import java.net.URI;

/**
 * A data-plane experiment, not a product (issue 15's third lever): a header-injecting reverse proxy on Netty in
 * which one event loop owns both connections of a request, so a request crosses no thread. The credential comes
 * from the project's own engine ({@link SecretsAuth#snapshotFor}, the lookup the shipped proxy makes), and
 * nothing else of the shipped proxy's request path is here: no replay after 401, no retry, no guard, no admin
 * endpoints, no TLS. It measures what the I/O model alone costs, beside nginx and the shipped Jetty proxy, so
 * that the choice of data plane rests on a figure. Runs until killed.
 *
 * <p>Usage: {@code NettyDataPlaneExperiment UPSTREAM_URL LISTEN_PORT TOKEN [EVENT_LOOPS]}; the transport is
 * epoll where Netty's native library loads, else NIO (printed at start).
 */
public final class NettyDataPlaneExperiment {
    private NettyDataPlaneExperiment() {
    }

    public static void main(String[] args) throws Exception {
        URI upstream = URI.create(args[0]);
        int port = Integer.parseInt(args[1]);
        int loops = args.length > 3 ? Integer.parseInt(args[3]) : Runtime.getRuntime().availableProcessors();
        SecretsAuth auth = SecretsAuth.builder().settings(Settings.builder()
                .set("MLFLOW_SECRETS_AUTH_ENABLE", "env").set("MLFLOW_TRACKING_TOKEN", args[2])
                .set("MLFLOW_SECRETS_ALLOWED_HOSTS", upstream.getRawAuthority()).build()).build();
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> serverType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        Class<? extends SocketChannel> clientType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, io);
        try {
            Channel server = new ServerBootstrap().group(group).channel(serverType)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new HttpServerCodec(),
                                    new FrontendHandler(auth, upstream, clientType));
                        }
                    })
                    .bind("127.0.0.1", port).sync().channel();
            System.out.println("listening on " + port + " (" + (epoll ? "epoll" : "nio") + ", " + loops
                    + " event loops)");
            server.closeFuture().sync();
        } finally {
            group.shutdownGracefully();
            auth.close();
        }
    }
}
