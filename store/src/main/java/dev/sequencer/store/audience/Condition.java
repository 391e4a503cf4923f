package dev.sequencer.store.audience;

/**
 * One condition of an audience's filter or a trigger's: {@code field} is {@code tags}, {@code
 * attributes.<key>}, a lead field ({@code email}, {@code phone}, {@code first_name}, {@code
 * last_name}, {@code company}, {@code title}, {@code timezone}) or, in a trigger, {@code
 * properties.<key>} of the event.
 *
 * <p>The meaning of each op, the same whether a condition is compiled to SQL ({@link AudienceSql})
 * or evaluated in memory:
 *
 * <ul>
 *   <li>On {@code tags}: {@code eq} and {@code contains}: has the tag (exactly); {@code neq}: lacks
 *       it; {@code in}: has any tag of the list; {@code exists}: has any tag at all. {@code gt} and
 *       {@code lt} do not apply.
 *   <li>On a lead field or {@code attributes.<key>} (and {@code properties.<key>}), the stored
 *       value is compared as text, a JSON value's text being what PostgreSQL's {@code ->>} gives: a
 *       string as it is, {@code true}/{@code false}, a number in plain decimal ({@code 5}, {@code
 *       2.50}); the condition's value likewise ({@link AudienceSql#text}). {@code eq}: the texts
 *       are equal; {@code neq}: they are not, and a missing or null value is not equal to anything,
 *       so {@code neq} is true for it; {@code in}: the text equals one of the list's; {@code
 *       contains}: the value's text is a case-insensitive substring of the stored text; {@code
 *       exists}: the value is present and not null. {@code gt}/{@code lt}: the condition's value is
 *       a number; when the stored text is a number too ({@link AudienceSql#NUMBER}) they compare
 *       numerically, else as texts in code-point order (Java's {@link String#compareTo}).
 *   <li>Every op but {@code neq} is false for a missing or null stored value.
 * </ul>
 *
 * @param op {@code eq}, {@code neq}, {@code in}, {@code contains}, {@code exists}, {@code gt} or
 *     {@code lt}
 * @param value a string, number or boolean; a list for {@code in}; absent for {@code exists}
 */
public record Condition(String field, String op, Object value) {}
