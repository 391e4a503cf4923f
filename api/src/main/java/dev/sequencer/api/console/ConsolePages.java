package dev.sequencer.api.console;

import dev.sequencer.api.auth.Caller;
import dev.sequencer.api.auth.Permission;
import dev.sequencer.store.console.ConsoleSessions;
import org.springframework.web.servlet.ModelAndView;

/** What every console page carries: its title, the session's CSRF token and what its role may. */
final class ConsolePages {

  private ConsolePages() {}

  static ModelAndView page(String template, ConsoleSessions.Session session, String title) {
    ModelAndView view = new ModelAndView(template);
    view.addObject("title", title);
    view.addObject("csrf", session.csrfToken());
    view.addObject("role", session.role().wireName());
    view.addObject("canControl", may(session, Permission.CONTROL));
    return view;
  }

  static boolean may(ConsoleSessions.Session session, Permission permission) {
    return Caller.permissionsOf(session.role()).contains(permission);
  }
}
