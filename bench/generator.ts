/**
 * Reproducible synthetic buildings spread like a Swiss canton: a few dozen towns of very different
 * sizes (Zipf), each a dense core with sparse outskirts, plus scattered farms and hamlets. The same
 * seed always gives the same buildings, so two runs (or two machines) measure the same data.
 */

/** mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A building as the address check would describe it, with its owner's address and confirmation. */
export type GeneratedBuilding = {
  building_id: string;
  address: string;
  plz: number;
  lat: number;
  lon: number;
  building_type: string;
  annual_consumption_kwh: number;
  potential_pv_kwp: number;
  email: string;
  verified: boolean;
};

/** Roughly the canton of Aargau: about 55 km × 50 km. */
export const CANTON = { minLat: 47.15, maxLat: 47.62, minLon: 7.7, maxLon: 8.45 };
const TOWNS = 60;
const METRES_PER_DEGREE_LAT = 111_320;
const BUILDING_TYPES = ['single_family', 'multi_family', 'commercial', 'agricultural'];

function gaussian(random: () => number): number {
  const u = Math.max(random(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

type Town = { lat: number; lon: number; weight: number; coreM: number; outskirtsM: number; plz: number };

function towns(random: () => number): Town[] {
  const result: Town[] = [];
  for (let i = 0; i < TOWNS; i++) {
    const weight = 1 / (i + 1); // Zipf: one city, a few towns, many villages
    const scale = Math.sqrt(weight * TOWNS) / Math.sqrt(TOWNS); // 1 for the city, ~0.13 for the smallest village
    result.push({
      lat: CANTON.minLat + 0.05 + random() * (CANTON.maxLat - CANTON.minLat - 0.1),
      lon: CANTON.minLon + 0.05 + random() * (CANTON.maxLon - CANTON.minLon - 0.1),
      weight,
      coreM: 200 + 900 * scale,
      outskirtsM: 900 + 2500 * scale,
      plz: 5000 + i * 10,
    });
  }
  return result;
}

function pickTown(all: Town[], total: number, random: () => number): Town {
  let target = random() * total;
  for (const town of all) {
    target -= town.weight;
    if (target <= 0) return town;
  }
  return all[all.length - 1];
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * `count` buildings: 60 % in a town core, 30 % in its outskirts, 10 % anywhere in the canton.
 * Ids are `<prefix><index>`; about 70 % are confirmed.
 */
export function generateBuildings(count: number, seed = 7, prefix = 'g'): GeneratedBuilding[] {
  const random = seededRandom(seed);
  const all = towns(random);
  const totalWeight = all.reduce((sum, town) => sum + town.weight, 0);
  const buildings: GeneratedBuilding[] = [];
  for (let i = 0; i < count; i++) {
    const town = pickTown(all, totalWeight, random);
    const where = random();
    let lat: number;
    let lon: number;
    if (where < 0.9) {
      const sigmaM = where < 0.6 ? town.coreM / 2 : town.outskirtsM / 2;
      lat = town.lat + (gaussian(random) * sigmaM) / METRES_PER_DEGREE_LAT;
      lon = town.lon + (gaussian(random) * sigmaM) / (METRES_PER_DEGREE_LAT * Math.cos((town.lat * Math.PI) / 180));
    } else {
      lat = CANTON.minLat + random() * (CANTON.maxLat - CANTON.minLat);
      lon = CANTON.minLon + random() * (CANTON.maxLon - CANTON.minLon);
    }
    const type = BUILDING_TYPES[Math.floor(random() * random() * BUILDING_TYPES.length)];
    buildings.push({
      building_id: `${prefix}${i}`,
      email: `owner${i}@bench.example.ch`,
      address: `Benchstrasse ${i % 200}, ${town.plz} Benchdorf`,
      plz: town.plz,
      lat: clamp(lat, 45.01, 47.99),
      lon: clamp(lon, 5.01, 10.99),
      building_type: type,
      annual_consumption_kwh: Math.round(2500 + 20000 * random() * random()),
      potential_pv_kwp: Math.round((3 + 37 * random() * random()) * 10) / 10,
      verified: random() < 0.7,
    });
  }
  return buildings;
}

/** Switzerland's extent (WGS 84), from Chancy in the west to Val Müstair in the east. */
export const SWITZERLAND = { minLat: 45.82, maxLat: 47.81, minLon: 5.96, maxLon: 10.49 };
const COUNTRY_TOWNS = 2000;

/**
 * `count` buildings over Switzerland's extent, one at a time (two million do not need to be held at
 * once): 2 000 towns of Zipf sizes (the largest holds about an eighth of the buildings, as the
 * largest cities with their agglomerations do), each a dense core with sparse outskirts scaled to
 * its size, plus 10 % scattered farms and hamlets. Ids are `<prefix><index>`; about 70 % confirmed.
 */
export function* countryBuildings(count: number, seed = 31, prefix = 'ch'): Generator<GeneratedBuilding> {
  const random = seededRandom(seed);
  const all: Town[] = [];
  for (let i = 0; i < COUNTRY_TOWNS; i++) {
    const weight = 1 / (i + 1);
    const scale = Math.sqrt(weight); // 1 for the largest city, ~0.02 for the smallest village
    all.push({
      lat: SWITZERLAND.minLat + 0.1 + random() * (SWITZERLAND.maxLat - SWITZERLAND.minLat - 0.2),
      lon: SWITZERLAND.minLon + 0.1 + random() * (SWITZERLAND.maxLon - SWITZERLAND.minLon - 0.2),
      weight,
      coreM: 150 + 3500 * scale,
      outskirtsM: 600 + 7000 * scale,
      plz: 1000 + (i % 8999),
    });
  }
  const totalWeight = all.reduce((sum, town) => sum + town.weight, 0);
  for (let i = 0; i < count; i++) {
    const town = pickTown(all, totalWeight, random);
    const where = random();
    let lat: number;
    let lon: number;
    if (where < 0.9) {
      const sigmaM = where < 0.6 ? town.coreM / 2 : town.outskirtsM / 2;
      lat = town.lat + (gaussian(random) * sigmaM) / METRES_PER_DEGREE_LAT;
      lon = town.lon + (gaussian(random) * sigmaM) / (METRES_PER_DEGREE_LAT * Math.cos((town.lat * Math.PI) / 180));
    } else {
      lat = SWITZERLAND.minLat + random() * (SWITZERLAND.maxLat - SWITZERLAND.minLat);
      lon = SWITZERLAND.minLon + random() * (SWITZERLAND.maxLon - SWITZERLAND.minLon);
    }
    const type = BUILDING_TYPES[Math.floor(random() * random() * BUILDING_TYPES.length)];
    yield {
      building_id: `${prefix}${i}`,
      email: `owner${i}@bench.example.ch`,
      address: `Landstrasse ${i % 200}, ${town.plz} Benchdorf`,
      plz: town.plz,
      lat: clamp(lat, 45.01, 47.99),
      lon: clamp(lon, 5.01, 10.99),
      building_type: type,
      annual_consumption_kwh: Math.round(2500 + 20000 * random() * random()),
      potential_pv_kwp: Math.round((3 + 37 * random() * random()) * 10) / 10,
      verified: random() < 0.7,
    };
  }
}

/**
 * The previous version's `database.json` for the given buildings: both tables, one verification and
 * one unsubscribe token per building, timestamps in epoch seconds (see issue 5 for the shape).
 */
export function legacyDatabase(buildings: readonly GeneratedBuilding[], seed = 11): Record<string, unknown> {
  const random = seededRandom(seed);
  const now = 1_790_000_000;
  const tables: Record<'buildings' | 'interest_pool', Record<string, unknown>> = { buildings: {}, interest_pool: {} };
  const verification: Record<string, { building_id: string }> = {};
  const unsubscribe: Record<string, { building_id: string }> = {};
  const hex = (): string => Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  const uuid = (): string => `${hex()}-${hex().slice(0, 4)}-4${hex().slice(0, 3)}-a${hex().slice(0, 3)}-${hex()}${hex().slice(0, 4)}`;
  for (const b of buildings) {
    const registeredAt = now - random() * 86_400 * 365;
    const { email, verified, ...profile } = b;
    const record = {
      profile,
      email,
      phone: random() < 0.3 ? '+41791234567' : null,
      verified,
      verified_at: verified ? registeredAt + 3600 : null,
      registered_at: registeredAt,
      verification_sent_at: registeredAt,
    };
    tables[random() < 0.6 ? 'buildings' : 'interest_pool'][b.building_id] = record;
    if (!verified) verification[uuid()] = { building_id: b.building_id };
    unsubscribe[uuid()] = { building_id: b.building_id };
  }
  return {
    ...tables,
    verification_tokens: verification,
    unsubscribe_tokens: unsubscribe,
    cluster_contact_state: {},
    clusters: {},
    last_saved: now,
  };
}
