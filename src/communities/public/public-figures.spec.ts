import { summedEnergy } from '../engine/autarky';
import { largestMember, publicFigures } from './public-figures';

const household = (annual_consumption_kwh: number, potential_pv_kwp: number) => ({ annual_consumption_kwh, potential_pv_kwp });

function published(members: ReturnType<typeof household>[]) {
  return publicFigures(members.length, summedEnergy(members), largestMember(members));
}

describe('publicFigures', () => {
  it('should publish nothing for fewer than three members', () => {
    expect(published([household(4500, 6), household(5000, 7)])).toEqual({ autarky_percent: null, total_consumption_mwh: null, total_production_mwh: null });
  });

  it('should publish nothing while one member has more than half of the consumption or of the PV power', () => {
    expect(published([household(12_000, 8), household(0, 0), household(0, 0)]).autarky_percent).toBeNull();
    expect(published([household(5000, 30), household(5000, 5), household(5000, 5)]).autarky_percent).toBeNull();
  });

  it('should publish coarse figures for a group no member dominates', () => {
    const figures = published([household(4500, 6), household(5000, 7), household(5500, 8)]);
    expect(figures.autarky_percent! % 5).toBe(0);
    expect(figures.total_consumption_mwh! % 10).toBe(0);
    expect(figures.total_production_mwh! % 10).toBe(0);
    expect(figures.total_consumption_mwh).toBe(20);
  });
});
