package dev.sequencer.api.auth;

import dev.sequencer.store.organization.KeyHolder;
import dev.sequencer.store.organization.Role;
import java.util.EnumSet;
import java.util.Set;

/**
 * Who made a request: an organization's key with its role, or the platform admin key, which belongs
 * to no organization and may only manage organizations.
 */
public record Caller(String keyId, String organizationId, Role role) {

  /** Request attribute holding the caller. */
  public static final String ATTRIBUTE = "sequencer.caller";

  static final String PLATFORM_KEY_ID = "platform";

  static Caller of(KeyHolder holder) {
    return new Caller(holder.keyId(), holder.organizationId(), holder.role());
  }

  static Caller platform() {
    return new Caller(PLATFORM_KEY_ID, null, null);
  }

  boolean isPlatform() {
    return role == null;
  }

  Set<Permission> permissions() {
    if (isPlatform()) {
      return EnumSet.of(Permission.PLATFORM);
    }
    return permissionsOf(role);
  }

  /** What an organization's key of {@code role} may do. */
  public static Set<Permission> permissionsOf(Role role) {
    return switch (role) {
      case ADMIN -> EnumSet.of(Permission.READ, Permission.CONTROL, Permission.MANAGE);
      case OPERATOR -> EnumSet.of(Permission.READ, Permission.CONTROL);
      case READ_ONLY -> EnumSet.of(Permission.READ);
    };
  }

  /** The role as the API names it. */
  String roleName() {
    return isPlatform() ? "platform_admin" : role.wireName();
  }
}
