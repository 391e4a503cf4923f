package dev.sequencer.activities.messaging;

import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;

/**
 * Twilio's HTTP client with one attempt per request. The SDK repeats a create after any 5xx and
 * Apache's client after a 429 or 503, while the send activity holds the lead's row lock; a 5xx that
 * came after Twilio had created the message would then send a second text. Retries belong to
 * Temporal, which retries the activity after its idempotency check.
 */
public class SingleAttemptTwilioHttpClient extends NetworkHttpClient {

  public SingleAttemptTwilioHttpClient() {
    super(
        HttpClientBuilder.create()
            .disableAutomaticRetries()
            .useSystemProperties()
            .setDefaultRequestConfig(HttpClient.DEFAULT_REQUEST_CONFIG)
            .setConnectionManager(
                PoolingHttpClientConnectionManagerBuilder.create()
                    .setDefaultSocketConfig(HttpClient.DEFAULT_SOCKET_CONFIG)
                    .setMaxConnTotal(50)
                    .setMaxConnPerRoute(20)
                    .build()));
  }

  @Override
  public Response reliableRequest(Request request) {
    return makeRequest(request);
  }
}
