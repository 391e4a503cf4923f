package dev.sequencer.content;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RoleAddressesTest {

  @Test
  void functionsAreRolesPeopleAreNot() {
    assertThat(RoleAddresses.isRole("info@acme.test")).isTrue();
    assertThat(RoleAddresses.isRole("Sales@acme.test")).isTrue();
    assertThat(RoleAddresses.isRole("support+eu@acme.test")).isTrue();
    assertThat(RoleAddresses.isRole("postmaster@acme.test")).isTrue();
    assertThat(RoleAddresses.isRole("no-reply@acme.test")).isTrue();
    assertThat(RoleAddresses.isRole("grace.hopper@acme.test")).isFalse();
    assertThat(RoleAddresses.isRole("information.officer@acme.test")).isFalse();
    assertThat(RoleAddresses.isRole("salesforce@acme.test")).isFalse();
  }
}
