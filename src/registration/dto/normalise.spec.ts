import { normaliseEmail, normalisePhone, stripMarkup } from './normalise';

describe(normaliseEmail.name, () => {
  it('should trim and lower-case only the domain', () => {
    expect(normaliseEmail('  Anna.Muster@Example.CH ')).toBe('Anna.Muster@example.ch');
  });

  it('should leave non-strings for validation to reject', () => {
    expect(normaliseEmail(42)).toBe(42);
  });
});

describe(normalisePhone.name, () => {
  it.each([
    ['+41 79 123 45 67', '+41791234567'],
    ['0041 79 123 45 67', '+41791234567'],
    ['079/123.45-67', '+41791234567'],
    ['(079) 123 45 67', '+41791234567'],
    ['+41791234567', '+41791234567'],
  ])('should turn %s into %s', (given, expected) => {
    expect(normalisePhone(given)).toBe(expected);
  });

  it.each([null, undefined, '', '   '])('should treat %p as no phone', (given) => {
    expect(normalisePhone(given)).toBeNull();
  });

  it.each(['+49 171 1234567', '079 123 45', '0791234567890', 'call me'])('should leave %s unchanged for validation to reject', (given) => {
    expect(normalisePhone(given)).toBe(given);
  });
});

describe(stripMarkup.name, () => {
  it('should remove tags and collapse whitespace', () => {
    expect(stripMarkup(' <b>Badstrasse</b>  12,<script>x</script> 5400 Baden ')).toBe('Badstrasse 12,x 5400 Baden');
  });
});
