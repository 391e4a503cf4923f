package dev.sequencer.store.export;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A campaign's leads, messages or timeline, row by row from a server-side cursor: PostgreSQL's
 * driver fetches a page at a time only inside a transaction with a fetch size, so an export of any
 * size holds one page in memory.
 */
@Repository
public class CampaignExports {

  /** What can be exported, with its columns in order. */
  public enum What {
    LEADS(
        """
        select lead_id, status, variant, sender_id, email, phone, first_name, last_name, company,
               title, timezone, attributes, created_at, updated_at
          from leads where campaign_id = ? order by id
        """),
    MESSAGES(
        """
        select m.id as message_id, l.lead_id, lower(m.step_type) as step, m.variant,
               lower(m.channel) as channel, m.sender_id, m.recipient, m.subject,
               lower(m.status) as status, m.sent_at, m.error_code, m.error_message, m.created_at
          from messages m join leads l on l.id = m.lead_pk
         where m.campaign_id = ? order by m.created_at, m.id
        """),
    EVENTS(
        """
        select e.at, l.lead_id, e.event, lower(e.step_type) as step, e.message_id, e.detail
          from lead_events e join leads l on l.id = e.lead_pk
         where e.campaign_id = ? order by e.id
        """);

    private final String sql;

    What(String sql) {
      this.sql = sql;
    }
  }

  static final int FETCH_SIZE = 1000;

  private final JdbcTemplate jdbc;
  private final TransactionTemplate readOnly;

  public CampaignExports(DataSource dataSource, PlatformTransactionManager transactions) {
    this.jdbc = new JdbcTemplate(dataSource);
    this.jdbc.setFetchSize(FETCH_SIZE);
    this.readOnly = new TransactionTemplate(transactions);
    this.readOnly.setReadOnly(true);
  }

  /**
   * Calls {@code header} with the column names, then {@code row} with each row's cells as text
   * (timestamps in ISO-8601, nulls empty).
   */
  public void export(
      String campaignId, What what, Consumer<List<String>> header, Consumer<String[]> row) {
    readOnly.executeWithoutResult(
        tx ->
            jdbc.query(
                what.sql,
                rs -> {
                  ResultSetMetaData meta = rs.getMetaData();
                  int columns = meta.getColumnCount();
                  if (rs.getRow() == 1) {
                    header.accept(names(meta));
                  }
                  row.accept(cells(rs, columns));
                },
                campaignId));
  }

  /** The column names of {@code what}, for an export with no rows. */
  public List<String> columns(What what) {
    return readOnly.execute(
        tx ->
            jdbc.query(
                "select * from (" + what.sql.replace("?", "null") + ") q limit 0",
                (ResultSet rs) -> names(rs.getMetaData())));
  }

  private static List<String> names(ResultSetMetaData meta) throws SQLException {
    String[] names = new String[meta.getColumnCount()];
    for (int i = 0; i < names.length; i++) {
      names[i] = meta.getColumnLabel(i + 1);
    }
    return List.of(names);
  }

  private static String[] cells(ResultSet rs, int columns) throws SQLException {
    String[] cells = new String[columns];
    for (int i = 0; i < columns; i++) {
      Object value = rs.getObject(i + 1);
      cells[i] =
          value == null
              ? ""
              : value instanceof Timestamp at ? at.toInstant().toString() : value.toString();
    }
    return cells;
  }
}
