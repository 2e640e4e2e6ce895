import { buildingTypeOf, heatingOf } from './building-facts';

describe(buildingTypeOf.name, () => {
  it.each([
    [{ category: 1020, buildingClass: 1110, dwellings: 1 }, 'EFH'],
    [{ category: 1020, buildingClass: 1110, dwellings: null }, 'EFH'],
    [{ category: 1020, buildingClass: 1121, dwellings: 2 }, 'MFH'],
    [{ category: 1020, buildingClass: 1121, dwellings: null }, 'MFH'],
    [{ category: 1020, buildingClass: 1122, dwellings: 8 }, 'MFH'],
    [{ category: 1030, buildingClass: 1122, dwellings: null }, 'MFH'],
    [{ category: 1040, buildingClass: 1220, dwellings: 3 }, 'non-residential'],
    [{ category: 1040, buildingClass: null, dwellings: 3 }, 'MFH'],
    [{ category: 1040, buildingClass: null, dwellings: 0 }, 'non-residential'],
    [{ category: 1060, buildingClass: 1220, dwellings: null }, 'non-residential'],
    [{ category: 1060, buildingClass: null, dwellings: null }, 'non-residential'],
    [{ category: 1080, buildingClass: null, dwellings: null }, 'non-residential'],
    [{ category: null, buildingClass: 1251, dwellings: null }, 'non-residential'],
    [{ category: null, buildingClass: null, dwellings: null }, 'EFH'],
  ])('should call %j a %s', (facts, expected) => {
    expect(buildingTypeOf(facts)).toBe(expected);
  });
});

describe(heatingOf.name, () => {
  it.each([
    [7410, 7501, 'heat_pump'],
    [7411, 7511, 'heat_pump'],
    [7410, null, 'heat_pump'],
    [7450, 7560, 'electric'],
    [7451, null, 'electric'],
    [7452, 7560, 'electric'],
    [7436, 7560, 'electric'],
    [null, 7513, 'heat_pump'],
    [null, 7560, 'electric'],
    [7430, 7530, 'other'],
    [7460, 7580, 'other'],
    [7400, 7500, 'other'],
    [null, 7520, 'other'],
    [null, 7598, 'unknown'],
    [null, null, 'unknown'],
  ])('should read generator %p with source %p as %s', (generator, source, expected) => {
    expect(heatingOf(generator, source)).toBe(expected);
  });
});
