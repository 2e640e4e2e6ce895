/**
 * DEMO DATA. Street names of Baden AG and its neighbours, each laid out as a straight line from a
 * start point with a bearing and a length, placed plausibly around the real towns. Positions,
 * lengths and house numbers are invented for development, demonstrations and tests: they are not
 * the real geometry, and the buildings generated on them are not real buildings.
 */
export type StreetCharacter = 'houses' | 'mixed' | 'centre';

export type Town = { plz: number; locality: string; municipality: string; bfsNumber: number };

export type DemoStreet = {
  name: string;
  town: Town;
  start: { lat: number; lon: number };
  /** Degrees clockwise from north. */
  bearingDeg: number;
  lengthM: number;
  /** Detached houses, a mix, or a town centre: sets the spacing of the numbers and the kind of buildings. */
  character: StreetCharacter;
};

const BADEN: Town = { plz: 5400, locality: 'Baden', municipality: 'Baden', bfsNumber: 4021 };
const ENNETBADEN: Town = { plz: 5408, locality: 'Ennetbaden', municipality: 'Ennetbaden', bfsNumber: 4026 };
const WETTINGEN: Town = { plz: 5430, locality: 'Wettingen', municipality: 'Wettingen', bfsNumber: 4045 };
const NUSSBAUMEN: Town = { plz: 5415, locality: 'Nussbaumen', municipality: 'Obersiggenthal', bfsNumber: 4038 };
const UNTERSIGGENTHAL: Town = { plz: 5417, locality: 'Untersiggenthal', municipality: 'Untersiggenthal', bfsNumber: 4044 };
const NEUENHOF: Town = { plz: 5432, locality: 'Neuenhof', municipality: 'Neuenhof', bfsNumber: 4034 };

const street = (
  name: string,
  town: Town,
  lat: number,
  lon: number,
  bearingDeg: number,
  lengthM: number,
  character: StreetCharacter,
): DemoStreet => ({ name, town, start: { lat, lon }, bearingDeg, lengthM, character });

export const DEMO_STREETS: DemoStreet[] = [
  street('Badstrasse', BADEN, 47.4748, 8.3078, 10, 350, 'centre'),
  street('Weite Gasse', BADEN, 47.4735, 8.3085, 200, 200, 'centre'),
  street('Rathausgasse', BADEN, 47.4728, 8.3093, 190, 150, 'centre'),
  street('Kronengasse', BADEN, 47.4737, 8.3098, 120, 150, 'centre'),
  street('Bäderstrasse', BADEN, 47.4785, 8.309, 20, 300, 'mixed'),
  street('Bahnhofstrasse', BADEN, 47.476, 8.306, 160, 300, 'centre'),
  street('Stadtturmstrasse', BADEN, 47.4745, 8.306, 160, 250, 'mixed'),
  street('Parkstrasse', BADEN, 47.479, 8.3075, 100, 350, 'mixed'),
  street('Römerstrasse', BADEN, 47.4805, 8.306, 20, 450, 'mixed'),
  street('Mellingerstrasse', BADEN, 47.4718, 8.3035, 215, 900, 'mixed'),
  street('Bruggerstrasse', BADEN, 47.479, 8.305, 330, 900, 'mixed'),
  street('Haselstrasse', BADEN, 47.4745, 8.304, 250, 400, 'mixed'),
  street('Burghaldenstrasse', BADEN, 47.47, 8.308, 170, 500, 'houses'),
  street('Martinsbergstrasse', BADEN, 47.477, 8.302, 280, 500, 'houses'),
  street('Zürcherstrasse', BADEN, 47.47, 8.31, 150, 700, 'mixed'),
  street('Ländliweg', BADEN, 47.471, 8.306, 200, 400, 'houses'),
  street('Dammstrasse', BADEN, 47.4735, 8.301, 180, 300, 'houses'),
  street('Wiesenstrasse', BADEN, 47.482, 8.303, 300, 400, 'houses'),
  street('Grendelstrasse', ENNETBADEN, 47.4795, 8.313, 40, 500, 'houses'),
  street('Sonnenbergstrasse', ENNETBADEN, 47.481, 8.316, 80, 450, 'houses'),
  street('Geissbergstrasse', ENNETBADEN, 47.483, 8.318, 20, 400, 'houses'),
  street('Hertensteinstrasse', ENNETBADEN, 47.48, 8.32, 70, 600, 'houses'),
  street('Schiefe Brücke', ENNETBADEN, 47.478, 8.311, 90, 150, 'centre'),
  street('Limmatauweg', ENNETBADEN, 47.4835, 8.312, 350, 300, 'houses'),
  street('Landstrasse', WETTINGEN, 47.4665, 8.318, 95, 1500, 'mixed'),
  street('Alberich Zwyssig-Strasse', WETTINGEN, 47.464, 8.325, 100, 700, 'mixed'),
  street('Klosterstrasse', WETTINGEN, 47.462, 8.315, 140, 500, 'houses'),
  street('Seminarstrasse', WETTINGEN, 47.461, 8.311, 180, 400, 'houses'),
  street('Zentralstrasse', WETTINGEN, 47.468, 8.327, 10, 500, 'centre'),
  street('Dorfstrasse', WETTINGEN, 47.47, 8.335, 80, 600, 'houses'),
  street('Etzelstrasse', WETTINGEN, 47.465, 8.332, 170, 400, 'houses'),
  street('Staffelstrasse', WETTINGEN, 47.4715, 8.323, 60, 500, 'houses'),
  street('Märzengasse', WETTINGEN, 47.4625, 8.329, 90, 300, 'houses'),
  street('Landstrasse', NUSSBAUMEN, 47.487, 8.293, 330, 800, 'mixed'),
  street('Schulstrasse', NUSSBAUMEN, 47.488, 8.296, 60, 350, 'houses'),
  street('Kirchweg', NUSSBAUMEN, 47.49, 8.29, 10, 300, 'houses'),
  street('Dorfstrasse', UNTERSIGGENTHAL, 47.502, 8.256, 30, 600, 'houses'),
  street('Bachstrasse', UNTERSIGGENTHAL, 47.5, 8.26, 300, 400, 'houses'),
  street('Zürcherstrasse', NEUENHOF, 47.452, 8.32, 140, 900, 'mixed'),
  street('Glärnischstrasse', NEUENHOF, 47.45, 8.326, 60, 400, 'houses'),
  street('Zelglistrasse', NEUENHOF, 47.448, 8.323, 200, 400, 'houses'),
  street('Kirchweg', NEUENHOF, 47.453, 8.328, 100, 300, 'houses'),
];
