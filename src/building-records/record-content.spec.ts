import { canonicalJson } from './record-content';

describe(canonicalJson.name, () => {
  it('should not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }] })).toBe(canonicalJson({ a: [{ c: null, d: 2 }], b: 1 }));
  });
});
