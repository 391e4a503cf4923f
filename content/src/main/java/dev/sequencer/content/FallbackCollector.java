package dev.sequencer.content;

import com.samskivert.mustache.BasicCollector;
import com.samskivert.mustache.Escapers;
import com.samskivert.mustache.Mustache;
import com.samskivert.mustache.Template;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resolves variables for one render of one {@link ParsedTemplate}, including its fallback slots.
 *
 * <p>Extends {@link BasicCollector} rather than jmustache's default reflective collector so that a
 * template can only read map entries, never call methods such as {@code getClass()} on values.
 */
final class FallbackCollector extends BasicCollector {

  private final List<Fallback> fallbacks;
  private final Escaping escaping;

  FallbackCollector(List<Fallback> fallbacks, Escaping escaping) {
    this.fallbacks = fallbacks;
    this.escaping = escaping;
  }

  @Override
  public Mustache.VariableFetcher createFetcher(Object context, String name) {
    Fallback fallback = fallbackFor(name);
    if (context instanceof RootContext) {
      if (fallback == null) {
        return (root, key) -> ((RootContext) root).lookup(key);
      }
      return (root, key) -> valueOr(((RootContext) root).lookup(fallback.name()), fallback);
    }
    if (fallback == null) {
      return super.createFetcher(context, name);
    }
    Mustache.VariableFetcher inner = super.createFetcher(context, fallback.name());
    if (inner == null) {
      return null;
    }
    return (data, key) -> {
      Object value = inner.get(data, fallback.name());
      // Not found here: let jmustache try the enclosing contexts, ending at the root.
      return value == Template.NO_FETCHER_FOUND ? value : valueOr(value, fallback);
    };
  }

  @Override
  public <K, V> Map<K, V> createFetcherCache() {
    return new ConcurrentHashMap<>();
  }

  private Fallback fallbackFor(String name) {
    if (!name.startsWith(TemplateParser.SLOT_PREFIX)) {
      return null;
    }
    return fallbacks.get(Integer.parseInt(name.substring(TemplateParser.SLOT_PREFIX.length())));
  }

  // Slots are emitted as unescaped tags, so escaping happens here: the value is escaped like any
  // other value, while the fallback text is part of the template and is written as authored.
  private String valueOr(Object value, Fallback fallback) {
    if (RootContext.isAbsent(value)) {
      return fallback.text();
    }
    String text = String.valueOf(value);
    return fallback.escaped() && escaping == Escaping.HTML ? Escapers.HTML.escape(text) : text;
  }
}
