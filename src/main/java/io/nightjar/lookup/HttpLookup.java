package io.nightjar.lookup;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.nightjar.config.ConfigException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP server of {@code serve} (routes in {@link LookupRoutes}, README `serve`): Netty HTTP/1.1
 * with keep-alive and pipelined requests answered in order, TCP_NODELAY on every connection.
 * Answers that only read memory (precomputed rows, cached online answers, {@code /healthz}, {@code
 * /metrics}) are written from the network threads; anything that may score runs on a bounded pool
 * of worker threads, and a request that finds the pool and its queue full is answered 503 with
 * {@code Retry-After} instead of waiting without bound.
 */
public final class HttpLookup implements AutoCloseable {
  private final EventLoopGroup acceptor;
  private final EventLoopGroup network;
  private final ThreadPoolExecutor workers;
  private final Channel channel;

  private HttpLookup(
      EventLoopGroup acceptor,
      EventLoopGroup network,
      ThreadPoolExecutor workers,
      Channel channel) {
    this.acceptor = acceptor;
    this.network = network;
    this.workers = workers;
    this.channel = channel;
  }

  /**
   * Starts serving {@code models} as {@code options} say, counting requests in {@code metrics}.
   *
   * @throws ConfigException when the address cannot be bound (e.g. the port is taken)
   */
  public static HttpLookup start(
      LoadedModels models, ServingMetrics metrics, ServerOptions options) {
    LookupRoutes routes = new LookupRoutes(models, metrics, options.maxBatch());
    ThreadPoolExecutor workers =
        new ThreadPoolExecutor(
            options.threads(),
            options.threads(),
            60,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(options.queue()),
            new DefaultThreadFactory("nightjar-score", true),
            new ThreadPoolExecutor.AbortPolicy());
    EventLoopGroup acceptor =
        new NioEventLoopGroup(1, new DefaultThreadFactory("nightjar-accept", true));
    EventLoopGroup network =
        new NioEventLoopGroup(options.ioThreads(), new DefaultThreadFactory("nightjar-http", true));
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(acceptor, network)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_BACKLOG, 1024)
            // Answers are small: send each at once rather than wait for the client's ACK (Nagle).
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.SO_KEEPALIVE, true)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast(new HttpServerCodec())
                        .addLast(new LookupHandler.BodyLimit(options.maxBodyBytes()))
                        .addLast(
                            new LookupHandler(routes, metrics, workers, options.maxBodyBytes()));
                  }
                });
    ChannelFuture bound =
        bootstrap
            .bind(new InetSocketAddress(options.bind(), options.port()))
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      workers.shutdown();
      acceptor.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      network.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      Throwable cause = bound.cause();
      throw LookupErrors.cannotListen(
          "serve",
          options.bind(),
          options.port(),
          cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause));
    }
    return new HttpLookup(acceptor, network, workers, bound.channel());
  }

  /**
   * Starts serving {@code caches} (by model name, already loaded, no on-demand scoring) on {@code
   * bind:port} with {@code threads} worker threads and default limits.
   */
  public static HttpLookup start(
      Map<String, PredictionCache> caches, String bind, int port, int threads) {
    LoadedModels models = new LoadedModels();
    caches.values().forEach(models::loaded);
    return start(models, new ServingMetrics(), ServerOptions.of(bind, port, threads));
  }

  /** The port the server listens on (the chosen one when started with port 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  /**
   * Stops accepting, lets scoring in flight finish (up to a second), then stops the network
   * threads.
   */
  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    workers.shutdown();
    try {
      workers.awaitTermination(1, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    acceptor.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    network.shutdownGracefully(100, 1000, TimeUnit.MILLISECONDS).awaitUninterruptibly();
  }
}
