package dev.sequencer.api.control;

import java.util.Locale;
import java.util.Set;

/**
 * Mail providers whose domain says nothing about the company: two Gmail users are not colleagues.
 */
final class FreeMailDomains {

  private static final Set<String> DOMAINS =
      Set.of(
          "gmail.com",
          "googlemail.com",
          "outlook.com",
          "hotmail.com",
          "live.com",
          "msn.com",
          "yahoo.com",
          "ymail.com",
          "icloud.com",
          "me.com",
          "mac.com",
          "aol.com",
          "proton.me",
          "protonmail.com",
          "gmx.com",
          "gmx.de",
          "gmx.net",
          "web.de",
          "mail.com",
          "yandex.com",
          "yandex.ru",
          "zoho.com",
          "fastmail.com",
          "hey.com",
          "qq.com",
          "163.com",
          "126.com");

  private FreeMailDomains() {}

  static boolean contains(String domain) {
    return DOMAINS.contains(domain.toLowerCase(Locale.ROOT));
  }
}
