import { offsetMeters } from '../../geo/geo';
import { nearbyWindows, zOrderKey } from './nearby-window';

describe(nearbyWindows.name, () => {
  const origin = { lat: 47.47, lon: 8.3 };

  it('should give everyone everyone when the group is small enough', () => {
    const members = [origin, offsetMeters(origin, 10, 0), offsetMeters(origin, 0, 10)];
    const windows = nearbyWindows(members, 5);
    for (const member of members) expect(windows.get(member)).toEqual(members);
  });

  it('should give each member a window of the requested size that contains itself', () => {
    const members = Array.from({ length: 500 }, (_, i) => offsetMeters(origin, (i % 25) * 20, Math.floor(i / 25) * 20));
    const windows = nearbyWindows(members, 50);
    for (const member of members) {
      const window = windows.get(member)!;
      expect(window).toHaveLength(50);
      expect(window).toContain(member);
    }
  });

  it('should list neighbours rather than far members for a long row of buildings', () => {
    const members = Array.from({ length: 300 }, (_, i) => offsetMeters(origin, 0, i * 30));
    const windows = nearbyWindows(members, 10);
    const first = windows.get(members[0])!;
    const farthest = Math.max(...first.map((m) => m.lon - members[0].lon));
    expect(farthest).toBeLessThan(members[60].lon - members[0].lon);
  });
});

describe(zOrderKey.name, () => {
  it('should order points along the curve by their cells', () => {
    expect(zOrderKey({ lat: 45, lon: 5 })).toBe(0);
    expect(zOrderKey({ lat: 47.5, lon: 8 })).toBeLessThan(zOrderKey({ lat: 47.99, lon: 10.99 }));
  });
});
