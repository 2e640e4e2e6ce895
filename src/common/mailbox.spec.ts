import { mailboxOf, mailboxSql } from './mailbox';

describe('mailboxOf', () => {
  it.each([
    ['Anna.Muster@Example.CH', 'anna.muster@example.ch'],
    ['anna+leg@example.ch', 'anna@example.ch'],
    ['ANNA+a+b@example.ch', 'anna@example.ch'],
    ['plain@example.ch', 'plain@example.ch'],
  ])('should count %s as the mailbox %s', (address, mailbox) => {
    expect(mailboxOf(address)).toBe(mailbox);
  });

  it('should write the same rule for SQL', () => {
    expect(mailboxSql('email')).toBe("regexp_replace(lower(email), '\\+[^@]*@', '@')");
  });
});
