package dev.sequencer.activities.messaging;

import com.twilio.http.Request;
import com.twilio.http.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Sends the Twilio SDK's requests to another base URL (a proxy, or a local server playing Twilio's
 * API in tests); paths, parameters and authentication stay as the SDK made them.
 */
public class RebasedTwilioHttpClient extends SingleAttemptTwilioHttpClient {

  private final URI base;

  public RebasedTwilioHttpClient(String baseUrl) {
    this.base =
        URI.create(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl);
  }

  @Override
  public Response makeRequest(Request request) {
    URI original = URI.create(request.getUrl());
    String path =
        original.getRawPath()
            + (original.getRawQuery() == null ? "" : "?" + original.getRawQuery());
    Request rebased = new Request(request.getMethod(), base + path);
    // TwilioRestClient built from an account SID and auth token sets a username and password on
    // the request, not an AuthStrategy: copying only the strategy dropped the Basic credentials.
    if (request.getAuthStrategy() != null) {
      rebased.setAuth(request.getAuthStrategy());
    } else if (request.getUsername() != null && request.getPassword() != null) {
      rebased.setAuth(request.getUsername(), request.getPassword());
    }
    copy(request.getQueryParams(), rebased::addQueryParam);
    copy(request.getPostParams(), rebased::addPostParam);
    copy(request.getHeaderParams(), rebased::addHeaderParam);
    if (request.getContentType() != null) {
      rebased.setContentType(request.getContentType());
    }
    if (request.getBody() != null) {
      rebased.setBody(request.getBody());
    }
    return super.makeRequest(rebased);
  }

  private static void copy(
      Map<String, List<String>> params, java.util.function.BiConsumer<String, String> add) {
    params.forEach((name, values) -> values.forEach(value -> add.accept(name, value)));
  }
}
