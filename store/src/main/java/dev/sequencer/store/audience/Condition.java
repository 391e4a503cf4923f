package dev.sequencer.store.audience;

/**
 * One condition of an audience's filter or a trigger's: {@code field} is {@code tags}, {@code
 * attributes.<key>}, a lead field ({@code email}, {@code phone}, {@code first_name}, {@code
 * last_name}, {@code company}, {@code title}, {@code timezone}) or, in a trigger, {@code
 * properties.<key>} of the event.
 *
 * @param op {@code eq}, {@code neq}, {@code in}, {@code contains}, {@code exists}, {@code gt} or
 *     {@code lt}
 * @param value a string, number or boolean; a list for {@code in}; absent for {@code exists}
 */
public record Condition(String field, String op, Object value) {}
