package dev.sequencer.api.contact;

import dev.sequencer.api.auth.ApiKeyFilter;
import dev.sequencer.api.auth.AuditRecorder;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.api.auth.Requires;
import dev.sequencer.api.campaign.Ids;
import dev.sequencer.api.campaign.Paging;
import dev.sequencer.store.contact.ContactErasure;
import dev.sequencer.store.contact.Contacts;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The organization's contact book: imported (upserted by contact id), listed, read, exported and
 * erased. Writing, exporting and erasing need an admin key; listing and reading any key.
 */
@RestController
@RequestMapping("/api/v1/contacts")
class ContactController {

  /** What the audit log records of an erasure's path: the contact id is personal data. */
  private static final String ERASURE_PATH = "/api/v1/contacts/" + ContactErasure.ERASED;

  private final ContactImporter importer;
  private final Contacts contacts;
  private final ContactBook book;
  private final ContactEraser eraser;

  ContactController(
      ContactImporter importer, Contacts contacts, ContactBook book, ContactEraser eraser) {
    this.importer = importer;
    this.contacts = contacts;
    this.book = book;
    this.eraser = eraser;
  }

  @PostMapping(consumes = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
  @io.swagger.v3.oas.annotations.parameters.RequestBody(
      required = true,
      description =
          "A JSON array of contacts, or CSV with a header row naming contact_id, email, phone,"
              + " first_name, last_name, company, title, timezone, tags (separated by ;) and"
              + " attributes.<name> columns",
      content = {
        @io.swagger.v3.oas.annotations.media.Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            array =
                @io.swagger.v3.oas.annotations.media.ArraySchema(
                    schema =
                        @io.swagger.v3.oas.annotations.media.Schema(
                            implementation = ContactRow.class))),
        @io.swagger.v3.oas.annotations.media.Content(
            mediaType = "text/csv",
            schema =
                @io.swagger.v3.oas.annotations.media.Schema(
                    type = "string",
                    example =
                        "contact_id,email,first_name,tags\nc-1,grace@example.com,Grace,vip;beta\n"))
      })
  ContactImportResult importContacts(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, HttpServletRequest request)
      throws IOException {
    // The body is read to a file first: a slow upload then holds a request thread, never one of
    // the few database connections the import's transaction needs.
    Path upload = Files.createTempFile("sequencer-contacts-", ".upload");
    try {
      try (InputStream body = request.getInputStream()) {
        Files.copy(body, upload, StandardCopyOption.REPLACE_EXISTING);
      }
      try (InputStream spooled = Files.newInputStream(upload)) {
        return request.getContentType().toLowerCase(Locale.ROOT).startsWith("text/csv")
            ? importer.importCsv(org, new InputStreamReader(spooled, StandardCharsets.UTF_8))
            : importer.importJson(org, spooled);
      }
    } finally {
      Files.deleteIfExists(upload);
    }
  }

  record ContactPage(
      List<ContactView> contacts, long total, int limit, long offset, boolean hasMore) {}

  @GetMapping
  ContactPage list(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @RequestParam(required = false) String tag,
      @RequestParam(required = false) String q,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(defaultValue = "0") long offset) {
    Paging.check(limit, offset);
    String byTag = tag == null || tag.isBlank() ? null : tag.trim();
    List<ContactView> page =
        contacts.page(org, byTag, q, limit, offset).stream().map(ContactView::of).toList();
    long total = contacts.count(org, byTag, q);
    return new ContactPage(page, total, limit, offset, offset + page.size() < total);
  }

  @GetMapping("/{contactId}")
  ContactDetail get(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String contactId) {
    return book.detail(org, Ids.checked("contact_id", contactId));
  }

  /** Everything held about the contact, for a subject access request. */
  @GetMapping("/{contactId}/export")
  @Requires(Permission.MANAGE)
  ContactExport export(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org, @PathVariable String contactId) {
    return book.export(org, Ids.checked("contact_id", contactId));
  }

  @DeleteMapping("/{contactId}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void erase(
      @RequestAttribute(ApiKeyFilter.ORGANIZATION) String org,
      @PathVariable String contactId,
      HttpServletRequest request) {
    request.setAttribute(AuditRecorder.PATH, ERASURE_PATH);
    request.setAttribute(AuditRecorder.TARGET, ContactErasure.ERASED);
    eraser.erase(org, Ids.checked("contact_id", contactId));
  }
}
