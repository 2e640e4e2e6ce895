import { OfflineAddressEstimator } from './address-estimator';

describe(OfflineAddressEstimator.name, () => {
  const sut = new OfflineAddressEstimator();

  it('should give the same profile for the same address, whatever the spacing', async () => {
    expect(await sut.estimate('Badstrasse 12, 5400 Baden')).toEqual(await sut.estimate('  Badstrasse  12,  5400 Baden '));
  });

  it('should stay within the documented ranges near Baden for many addresses', async () => {
    for (let number = 1; number <= 300; number++) {
      const profile = await sut.estimate(`Hauptstrasse ${number}, 5430 Wettingen`);
      expect(profile.building_id).toMatch(/^[0-9a-f]{10}$/);
      expect(profile.plz).toBe(5430);
      expect(Math.abs(profile.lat - 47.4733)).toBeLessThanOrEqual(0.015);
      expect(Math.abs(profile.lon - 8.3064)).toBeLessThanOrEqual(0.0225);
      expect(profile.annual_consumption_kwh).toBeGreaterThanOrEqual(4000);
      expect(profile.annual_consumption_kwh).toBeLessThanOrEqual(20000);
      expect(profile.potential_pv_kwp).toBeGreaterThanOrEqual(0);
      expect(profile.potential_pv_kwp).toBeLessThanOrEqual(30);
    }
  });

  it('should give different buildings for different addresses', async () => {
    const a = await sut.estimate('Badstrasse 12, 5400 Baden');
    const b = await sut.estimate('Badstrasse 14, 5400 Baden');
    expect(a.building_id).not.toBe(b.building_id);
  });
});
