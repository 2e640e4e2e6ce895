/**
 * The mailbox an address delivers to, for counting and caps: case-insensitive, and without a
 * `+tag` sub-address (`anna+1@x.ch` reaches Anna's mailbox like `anna@x.ch`, so it must not open a
 * second allowance). The SQL form is the same rule for the expression indexes and the counts.
 */
export function mailboxOf(address: string): string {
  return address.trim().toLowerCase().replace(/\+[^@]*@/, '@');
}

/** `mailboxOf` in SQL, for a column holding an address. */
export function mailboxSql(column: string): string {
  return `regexp_replace(lower(${column}), '\\+[^@]*@', '@')`;
}
