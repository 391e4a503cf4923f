package dev.sequencer.api.auth;

import dev.sequencer.api.error.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Enforces the caller's role on every {@code /api} handler before its body is read: a missing
 * permission is a {@code 403} naming the role and the permission, and changes nothing.
 */
@Component
class PermissionInterceptor implements HandlerInterceptor {

  private final JsonMapper json;

  PermissionInterceptor(JsonMapper json) {
    this.json = json;
  }

  @Override
  public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
      throws IOException {
    if (!(handler instanceof HandlerMethod method)
        || !(request.getAttribute(Caller.ATTRIBUTE) instanceof Caller caller)) {
      return true;
    }
    Permission needed = needed(request, method);
    if (caller.permissions().contains(needed)) {
      return true;
    }
    ProblemDetail problem =
        Problems.of(
            HttpStatus.FORBIDDEN,
            caller.isPlatform()
                ? "the platform admin key only creates organizations; use an organization's key"
                    + " (this call needs the permission '"
                    + needed.wireName()
                    + "')"
                : "the role '"
                    + caller.roleName()
                    + "' lacks the permission '"
                    + needed.wireName()
                    + "' this call needs");
    problem.setProperty("role", caller.roleName());
    problem.setProperty("permission", needed.wireName());
    Problems.write(response, json, problem);
    return false;
  }

  static Permission needed(HttpServletRequest request, HandlerMethod method) {
    Requires requires = method.getMethodAnnotation(Requires.class);
    if (requires == null) {
      requires = method.getBeanType().getAnnotation(Requires.class);
    }
    if (requires != null) {
      return requires.value();
    }
    return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod())
        ? Permission.READ
        : Permission.MANAGE;
  }
}
