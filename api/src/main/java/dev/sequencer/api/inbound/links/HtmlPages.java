package dev.sequencer.api.inbound.links;

/** The few HTML pages the service shows people (the unsubscribe confirmation and its answers). */
public final class HtmlPages {

  /** The pages' only style; the Content-Security-Policy allows it by its hash, and nothing else. */
  public static final String PAGE_STYLE =
      "body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;"
          + "padding:0 1rem;color:#222}button{font-size:1rem;padding:.5rem 1.25rem}";

  private HtmlPages() {}

  static String page(String title, String body) {
    return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>"
        + title
        + "</title><style>"
        + PAGE_STYLE
        + "</style></head><body><h1>"
        + title
        + "</h1>"
        + body
        + "</body></html>";
  }
}
