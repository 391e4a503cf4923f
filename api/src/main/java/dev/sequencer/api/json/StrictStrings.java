package dev.sequencer.api.json;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.deser.std.StdScalarDeserializer;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.module.SimpleModule;

/**
 * Text fields of request bodies take JSON strings only: a number, boolean, array or object where a
 * string belongs is the caller's mistake, not something to coerce ({@code {"name": 5}}), and a NUL
 * character is refused here, naming the field, instead of failing in PostgreSQL, whose text columns
 * cannot hold it.
 */
public final class StrictStrings extends SimpleModule {

  public StrictStrings() {
    super("sequencer-strict-strings");
    addDeserializer(String.class, new Deserializer());
  }

  static final class Deserializer extends StdScalarDeserializer<String> {

    Deserializer() {
      super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
      if (!parser.hasToken(JsonToken.VALUE_STRING)) {
        return (String) context.handleUnexpectedToken(String.class, parser);
      }
      String text = parser.getString();
      if (text.indexOf('\u0000') >= 0) {
        throw InvalidFormatException.from(
            parser, "must not contain NUL (\\u0000) characters", text, String.class);
      }
      return text;
    }
  }
}
