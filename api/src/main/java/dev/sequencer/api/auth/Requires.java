package dev.sequencer.api.auth;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission an {@code /api} handler needs. Without it a {@code GET} needs {@link
 * Permission#READ} and anything else {@link Permission#MANAGE}: a new route is closed to support
 * staff until it says otherwise.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
public @interface Requires {
  Permission value();
}
