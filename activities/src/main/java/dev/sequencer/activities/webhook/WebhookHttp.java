package dev.sequencer.activities.webhook;

import dev.sequencer.store.webhook.WebhookTargets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client of webhook deliveries. Every address it connects to is one {@link WebhookTargets}
 * allowed after resolving the host for that very connection, so a name cannot be checked at one
 * address and called at another. Redirects are not followed, nothing is retried here (the
 * delivery's back-off does that), and every call has a connect and a response timeout.
 */
final class WebhookHttp implements AutoCloseable {

  /** What one call came to: the response status, or why there was none. */
  record Answer(Integer status, String error) {
    boolean succeeded() {
      return status != null && status >= 200 && status < 300;
    }
  }

  private final CloseableHttpClient client;
  private final java.time.Duration deadline;
  private final java.util.concurrent.ScheduledExecutorService timer =
      java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "webhook-deadlines");
            thread.setDaemon(true);
            return thread;
          });

  /**
   * @param deadline the most a whole call may take, connecting and answering together: a receiver
   *     that trickles its answer byte by byte is cut off there
   */
  WebhookHttp(
      WebhookTargets targets,
      Timeout connect,
      Timeout response,
      java.time.Duration deadline,
      int connections) {
    this.deadline = deadline;
    DnsResolver resolver =
        new DnsResolver() {
          @Override
          public InetAddress[] resolve(String host) throws UnknownHostException {
            return targets.resolve(host);
          }

          @Override
          public String resolveCanonicalHostname(String host) {
            return host;
          }
        };
    this.client =
        HttpClients.custom()
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setDnsResolver(resolver)
                    .setDefaultConnectionConfig(
                        ConnectionConfig.custom()
                            .setConnectTimeout(connect)
                            .setSocketTimeout(response)
                            .build())
                    .setMaxConnTotal(connections)
                    .setMaxConnPerRoute(connections)
                    .build())
            .setDefaultRequestConfig(
                RequestConfig.custom()
                    .setResponseTimeout(response)
                    .setConnectionRequestTimeout(Timeout.ofMinutes(1))
                    .setRedirectsEnabled(false)
                    .build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .setUserAgent("Sequencer-Webhooks/1.0")
            .build();
  }

  Answer post(String url, Map<String, String> headers, String body) {
    HttpPost post;
    try {
      post = new HttpPost(url);
    } catch (IllegalArgumentException e) {
      return new Answer(null, "invalid URL");
    }
    headers.forEach(post::setHeader);
    post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    java.util.concurrent.ScheduledFuture<?> cutOff =
        timer.schedule(
            post::cancel, deadline.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    ClassicHttpResponse response = null;
    try {
      response = client.executeOpen(null, post, null);
      return new Answer(response.getCode(), null);
    } catch (WebhookTargets.RefusedAddress e) {
      return new Answer(null, "refused: " + e.getMessage());
    } catch (UnknownHostException e) {
      return new Answer(null, "host does not resolve: " + e.getMessage());
    } catch (IOException e) {
      if (post.isCancelled()) {
        return new Answer(null, "no answer within " + deadline.toSeconds() + " s");
      }
      String what = e.getClass().getSimpleName();
      return new Answer(null, e.getMessage() == null ? what : what + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return new Answer(null, e.getClass().getSimpleName() + ": " + e.getMessage());
    } finally {
      cutOff.cancel(false);
      // The body is never read: the status is the answer. Cancelling drops the connection, so
      // closing does not read a large or endless body to its end.
      post.cancel();
      if (response != null) {
        try {
          response.close();
        } catch (IOException | RuntimeException ignored) {
          // The connection is gone either way.
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    timer.shutdownNow();
    client.close();
  }
}
