package dev.sequencer.store.message;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The original links of tracked messages. */
@Repository
public class MessageLinks {

  private final JdbcClient jdbc;

  public MessageLinks(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  public void save(String messageId, List<String> links) {
    for (int i = 0; i < links.size(); i++) {
      jdbc.sql("insert into message_links (message_id, position, url) values (?, ?, ?)")
          .params(messageId, i, links.get(i))
          .update();
    }
  }

  public Optional<String> link(String messageId, int position) {
    return jdbc.sql("select url from message_links where message_id = ? and position = ?")
        .params(messageId, position)
        .query(String.class)
        .optional();
  }
}
