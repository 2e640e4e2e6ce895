import { lv95ToWgs84 } from './lv95';

describe(lv95ToWgs84.name, () => {
  it('should put the LV95 origin at the old Bern observatory', () => {
    const point = lv95ToWgs84(2_600_000, 1_200_000);

    expect(point.lat).toBeCloseTo(46.9510811, 6);
    expect(point.lon).toBeCloseTo(7.4386372, 6);
  });

  it('should place a point near Baden within a few metres of its WGS 84 position', () => {
    // The register's LV95 coordinates of the fixture building at Badstrasse 12.
    const point = lv95ToWgs84(2_665_471.9, 1_258_478.0);

    expect(point.lat).toBeCloseTo(47.4738159, 4);
    expect(point.lon).toBeCloseTo(8.3071423, 4);
  });
});
