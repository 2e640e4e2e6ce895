import { ConsumptionFacts, estimateAnnualConsumptionKwh, heatDemandKwhPerM2 } from './consumption-estimate';

const facts = (overrides: Partial<ConsumptionFacts>): ConsumptionFacts => ({
  buildingType: 'EFH',
  dwellings: 1,
  energyReferenceAreaM2: null,
  constructionYear: null,
  heating: 'other',
  ...overrides,
});

describe(estimateAnnualConsumptionKwh.name, () => {
  describe('households without electric heating', () => {
    it('should give a single-family house the previous version’s 4 500 kWh', () => {
      expect(estimateAnnualConsumptionKwh(facts({}))).toBe(4500);
      expect(estimateAnnualConsumptionKwh(facts({ dwellings: null, energyReferenceAreaM2: 400 }))).toBe(4500);
    });

    it('should give each flat of a multi-family house 2 750 kWh (a two-person flat, EnergieSchweiz)', () => {
      expect(estimateAnnualConsumptionKwh(facts({ buildingType: 'MFH', dwellings: 6 }))).toBe(16500);
      expect(estimateAnnualConsumptionKwh(facts({ buildingType: 'MFH', dwellings: 2 }))).toBe(5500);
    });

    it('should count flats from the area when the register has no count, at least two', () => {
      expect(estimateAnnualConsumptionKwh(facts({ buildingType: 'MFH', dwellings: null, energyReferenceAreaM2: 820 }))).toBe(8 * 2750);
      expect(estimateAnnualConsumptionKwh(facts({ buildingType: 'MFH', dwellings: null }))).toBe(2 * 2750);
    });
  });

  describe('non-residential use', () => {
    it('should count 40 kWh per m² of a non-residential building', () => {
      expect(estimateAnnualConsumptionKwh(facts({ buildingType: 'non-residential', dwellings: null, energyReferenceAreaM2: 1200 }))).toBe(48000);
    });

    it('should assume 300 m² when the area is unknown', () => {
      expect(estimateAnnualConsumptionKwh(facts({ buildingType: 'non-residential', dwellings: null }))).toBe(12000);
    });

    it('should add the flats of a partly residential building and count the rest of its area as business', () => {
      // 2 flats × 2 750 + (700 − 2 × 100) m² × 40
      expect(estimateAnnualConsumptionKwh(facts({ buildingType: 'non-residential', dwellings: 2, energyReferenceAreaM2: 700 }))).toBe(25500);
    });
  });

  describe('electric heating', () => {
    it('should add the heat demand over a seasonal performance factor of 3 for a heat pump', () => {
      // 4 500 + 200 m² × 45 kWh/m² / 3
      expect(estimateAnnualConsumptionKwh(facts({ energyReferenceAreaM2: 200, constructionYear: 2015, heating: 'heat_pump' }))).toBe(7500);
    });

    it('should add the whole heat demand for direct electric heating', () => {
      // 4 500 + 150 m² × 130 kWh/m²
      expect(estimateAnnualConsumptionKwh(facts({ energyReferenceAreaM2: 150, constructionYear: 1972, heating: 'electric' }))).toBe(24000);
    });

    it('should assume 160 m² and 100 kWh/m² for a house with a heat pump and nothing else known', () => {
      // 4 500 + 160 × 100 / 3 = 9 833 → 9 800
      expect(estimateAnnualConsumptionKwh(facts({ heating: 'heat_pump' }))).toBe(9800);
    });

    it('should heat the flats’ assumed area of a multi-family house with a heat pump', () => {
      // 6 × 2 750 + 6 × 100 m² × 95 kWh/m² / 3
      expect(estimateAnnualConsumptionKwh(facts({ buildingType: 'MFH', dwellings: 6, constructionYear: 1995, heating: 'heat_pump' }))).toBe(35500);
    });

    it('should add nothing for other or unknown heating', () => {
      expect(estimateAnnualConsumptionKwh(facts({ energyReferenceAreaM2: 200, heating: 'other' }))).toBe(4500);
      expect(estimateAnnualConsumptionKwh(facts({ energyReferenceAreaM2: 200, heating: 'unknown' }))).toBe(4500);
    });
  });

  it('should round to 100 kWh', () => {
    expect(estimateAnnualConsumptionKwh(facts({ energyReferenceAreaM2: 101, constructionYear: 2020, heating: 'heat_pump' })) % 100).toBe(0);
  });
});

describe(heatDemandKwhPerM2.name, () => {
  it.each([
    [1900, 130],
    [1980, 130],
    [1981, 95],
    [2000, 95],
    [2001, 70],
    [2010, 70],
    [2011, 45],
    [2030, 45],
    [null, 100],
  ])('should give a building of %p %p kWh per m²', (year, expected) => {
    expect(heatDemandKwhPerM2(year)).toBe(expected);
  });
});
