import { createHash } from 'node:crypto';

export type EstimatedProfile = {
  building_id: string;
  address: string;
  plz: number;
  lat: number;
  lon: number;
  building_type: string;
  annual_consumption_kwh: number;
  potential_pv_kwp: number;
};

/**
 * Turns an address into a building profile. A port: the default works offline; a real geodata
 * provider (federal building register, solar roof potential) can be plugged in by configuration.
 */
export abstract class AddressEstimator {
  abstract estimate(address: string): Promise<EstimatedProfile>;
}

const BADEN = { lat: 47.4733, lon: 8.3064 };

/**
 * An offline, deterministic estimate: the same address always gives the same building id and
 * figures, placed near Baden AG. It is a stand-in for a geodata provider, not a measurement.
 */
export class OfflineAddressEstimator extends AddressEstimator {
  estimate(address: string): Promise<EstimatedProfile> {
    const normalised = address.trim().replace(/\s+/g, ' ');
    const digest = createHash('sha256').update(normalised.toLowerCase()).digest();
    const unit = (offset: number) => digest.readUInt32BE(offset) / 0x1_0000_0000;
    const plz = /\b(\d{4})\b/.exec(normalised);
    return Promise.resolve({
      building_id: digest.subarray(0, 5).toString('hex'),
      address: normalised,
      plz: plz ? Number(plz[1]) : 5400,
      lat: Math.round((BADEN.lat + (unit(4) - 0.5) * 0.03) * 1e7) / 1e7,
      lon: Math.round((BADEN.lon + (unit(8) - 0.5) * 0.045) * 1e7) / 1e7,
      building_type: unit(12) < 0.7 ? 'EFH' : 'MFH',
      annual_consumption_kwh: Math.round(4000 + unit(16) * 16000),
      potential_pv_kwp: Math.round(unit(20) * 300) / 10,
    });
  }
}
