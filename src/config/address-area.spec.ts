import { addressAreaProblem, isInArea, parseAddressArea } from './address-area';

describe(parseAddressArea.name, () => {
  it('should read postcode ranges, single postcodes and cantons', () => {
    const sut = parseAddressArea(' 5000-5999, 8001 ,zh');

    expect(sut.ranges).toEqual([
      { from: 5000, to: 5999 },
      { from: 8001, to: 8001 },
    ]);
    expect(sut.cantons).toEqual(['ZH']);
    expect(sut.description).toBe('5000-5999,8001,zh');
  });

  it.each([
    ['', 'the area is empty'],
    [' , ', 'the area is empty'],
    ['5999-5000', '"5999-5000" is not a postcode range from low to high'],
    ['0999', '"0999" is not a postcode range from low to high'],
    ['XX', '"XX" is neither a postcode (5400), a range (5000-5999) nor a canton (AG)'],
    ['54000', '"54000" is neither'],
    ['5000-', '"5000-" is neither'],
    ['Baden', '"Baden" is neither'],
  ])('should refuse %j with a message naming the entry', (text, message) => {
    expect(() => parseAddressArea(text)).toThrow(message);
    expect(addressAreaProblem(text)).toContain(message);
  });

  it('should find no problem in a valid area', () => {
    expect(addressAreaProblem('5000-5999,8000-8099,ZH')).toBeUndefined();
  });
});

describe(isInArea.name, () => {
  const sut = parseAddressArea('5000-5999,8001,ZH');

  it.each([
    [5000, 'AG', true],
    [5400, null, true],
    [5999, 'AG', true],
    [8001, 'ZH', true],
    [8400, 'ZH', true],
    [8400, 'zh', true],
    [8957, 'AG', false],
    [4999, 'SO', false],
    [null, 'ZH', true],
    [null, null, false],
  ])('should say plz %p in canton %p is %p', (plz, canton, expected) => {
    expect(isInArea(sut, { plz, canton })).toBe(expected);
  });
});
