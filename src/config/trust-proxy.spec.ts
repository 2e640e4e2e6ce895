import { parseTrustProxy } from './trust-proxy';

describe(parseTrustProxy.name, () => {
  it('should read a hop count', () => {
    expect(parseTrustProxy('0')).toBe(0);
    expect(parseTrustProxy(' 1 ')).toBe(1);
    expect(parseTrustProxy('11')).toBeUndefined();
  });

  it('should read a list of proxy addresses and networks', () => {
    expect(parseTrustProxy('10.0.0.5')).toEqual(['10.0.0.5']);
    expect(parseTrustProxy('10.0.0.5, 10.1.0.0/16,fd00::/8,::1')).toEqual(['10.0.0.5', '10.1.0.0/16', 'fd00::/8', '::1']);
  });

  it.each(['', 'true', 'uniquelocal', 'loopback, linklocal, uniquelocal', '0.0.0.0/0', '::/0', '10.0.0.0/33', '10.0.0.300', '10.0.0.0/8/1', '10.0.0.5,'])(
    'should refuse %p: it is not a hop count or a list of addresses, or would trust every peer',
    (value) => {
      expect(parseTrustProxy(value)).toBeUndefined();
    },
  );
});
