package io.nightjar.lookup;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connection's requests: routes each on the event loop, runs scoring work on the worker pool
 * (503 with {@code Retry-After} when it is full), and writes the answers in the order the requests
 * came, as HTTP/1.1 pipelining requires, even when a later request is answered first. All state is
 * touched on the connection's event loop only.
 */
final class LookupHandler extends SimpleChannelInboundHandler<Object> {
  private static final Logger LOG = LoggerFactory.getLogger(LookupHandler.class);

  /** What {@link BodyLimit} passes on instead of a request whose body is too large. */
  enum Oversized {
    REQUEST
  }

  /**
   * Aggregates a request and its body up to {@code --max-body}; a larger body becomes {@link
   * Oversized#REQUEST}, answered 413 in its turn (Netty's own answer would skip the order of
   * pipelined answers and have no JSON body).
   */
  static final class BodyLimit extends HttpObjectAggregator {
    BodyLimit(int maxBytes) {
      super(maxBytes);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
      ctx.fireChannelRead(Oversized.REQUEST);
    }
  }

  private final LookupRoutes routes;
  private final ServingMetrics metrics;
  private final Executor workers;
  private final int maxBody;
  private final Map<Long, FullHttpResponse> ready = new HashMap<>();
  private long received;
  private long written;
  private boolean closing;

  LookupHandler(LookupRoutes routes, ServingMetrics metrics, Executor workers, int maxBody) {
    this.routes = routes;
    this.metrics = metrics;
    this.workers = workers;
    this.maxBody = maxBody;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
    long seq = received++;
    long start = System.nanoTime();
    if (msg == Oversized.REQUEST) {
      Response tooLarge =
          Response.error(
              413,
              "Request body too large: the limit is " + maxBody + " bytes (serve --max-body).");
      complete(
          ctx, seq, LookupRoutes.Dispatch.now(Route.NONE, null, tooLarge), tooLarge, start, false);
      return;
    }
    FullHttpRequest request = (FullHttpRequest) msg;
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (request.decoderResult().isFailure()) {
      Response bad =
          Response.error(
              400, "Invalid HTTP request: " + Response.oneLine(request.decoderResult().cause()));
      complete(ctx, seq, LookupRoutes.Dispatch.now(Route.NONE, null, bad), bad, start, false);
      return;
    }
    String uri = request.uri();
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    byte[] body = ByteBufUtil.getBytes(request.content());
    LookupRoutes.Dispatch dispatch = routes.dispatch(request.method().name(), path, body);
    if (dispatch.work() == null) {
      complete(ctx, seq, dispatch, dispatch.response(), start, keepAlive);
      return;
    }
    try {
      workers.execute(
          () -> {
            Response answer = dispatch.work().get();
            ctx.executor().execute(() -> complete(ctx, seq, dispatch, answer, start, keepAlive));
          });
    } catch (RejectedExecutionException e) {
      Response busy =
          Response.unavailable(
              "Busy: every scoring thread and its queue is in use; retry after a second or raise"
                  + " serve --threads.",
              1);
      complete(ctx, seq, dispatch, busy, start, keepAlive);
    }
  }

  private void complete(
      ChannelHandlerContext ctx,
      long seq,
      LookupRoutes.Dispatch dispatch,
      Response answer,
      long start,
      boolean keepAlive) {
    if (answer.status() >= 500 && answer.status() != 503) {
      LOG.warn(
          "{} answered {}: {}",
          dispatch.route().label(),
          answer.status(),
          new String(answer.content(), StandardCharsets.UTF_8));
    }
    metrics.record(
        dispatch.model(),
        dispatch.route(),
        answer.status(),
        answer.source(),
        System.nanoTime() - start);
    if (!ctx.channel().isActive()) {
      return;
    }
    ready.put(seq, toHttp(answer, keepAlive));
    boolean wrote = false;
    while (!closing && ready.containsKey(written)) {
      FullHttpResponse response = ready.remove(written++);
      wrote = true;
      if (HttpUtil.isKeepAlive(response)) {
        ctx.write(response);
      } else {
        closing = true;
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
      }
    }
    if (wrote && !closing) {
      ctx.flush();
    }
  }

  private static FullHttpResponse toHttp(Response answer, boolean keepAlive) {
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.valueOf(answer.status()),
            Unpooled.wrappedBuffer(answer.content()));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, answer.contentType());
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, answer.content().length);
    if (answer.allow() != null) {
      response.headers().set(HttpHeaderNames.ALLOW, answer.allow());
    }
    if (answer.retryAfterSeconds() > 0) {
      response.headers().setInt(HttpHeaderNames.RETRY_AFTER, answer.retryAfterSeconds());
    }
    if (answer.status() >= 500) {
      response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // A reset connection or similar: nothing to answer to; the client is gone.
    LOG.debug("Connection error", cause);
    ctx.close();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    ready.values().forEach(FullHttpResponse::release);
    ready.clear();
    super.channelInactive(ctx);
  }
}
