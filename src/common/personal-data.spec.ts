import { redactPersonalData } from './personal-data';

describe(redactPersonalData.name, () => {
  it.each([
    ['anna.muster@example.ch', '[email]'],
    ['"a b"@x.ch', '[email]'],
    ['"first.last+tag"@example.ch', '[email]'],
    ['"a\\"b"@x.ch', '[email]'],
    ['"a\\\\"@x.ch', '[email]'],
    ['"a\\" b\\" c"@x.ch', '[email]'],
    ['"a\r\nBcc: x@evil.ch"@example.ch', '[email]'],
    ['""@example.ch', '[email]'],
  ])('should redact the whole address %j', (address, expected) => {
    expect(redactPersonalData(address)).toBe(expected);
  });

  it.each([
    ['Key (email)=("a b"@x.ch) already exists', 'Key (email)=([email]) already exists'],
    ['mail to "first.last+tag"@example.ch failed: timeout', 'mail to [email] failed: timeout'],
    ['He said "hello" and wrote to "a b"@x.ch', 'He said "hello" and wrote to [email]'],
    ['{"email":"a@x.ch","name":"Anna"}', '{"email":"[email]","name":"Anna"}'],
    ['"a" "b"@x.ch', '"a" [email]'],
  ])('should redact quoted addresses in %j and keep the text around them', (text, expected) => {
    expect(redactPersonalData(text)).toBe(expected);
  });

  it.each([
    'He said "hello" and left',
    '{"status":"ok","count":"3"}',
    'the value "x" @example.ch is not an address',
    'a lone quote " and an @ sign',
    'version "1.2"@3 of the file',
    '"unterminated quote@',
  ])('should leave %j alone, which holds no address', (text) => {
    expect(redactPersonalData(text)).toBe(text);
  });

  it.each([
    ['escaped quotes', '\\"'.repeat(20_000)],
    ['atom characters', 'a.'.repeat(20_000)],
  ])('should search a 40 kB run of %s in well under a second', (_kind, text) => {
    const started = Date.now();

    expect(redactPersonalData(text)).toBe(text);
    expect(Date.now() - started).toBeLessThan(500);
  });
});
