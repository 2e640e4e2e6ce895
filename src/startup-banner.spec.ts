import { addressDirectoryLine, openableBaseUrl, startupBanner } from './startup-banner';

describe(startupBanner.name, () => {
  const facts = {
    host: '0.0.0.0',
    port: 41234,
    baseUrl: 'http://localhost:3000',
    database: 'embedded PostgreSQL (PGlite) in /srv/leg/data',
    mail: 'development files in /srv/leg/data/mail',
    addresses: { kind: 'offline' as const, geoadminUrl: 'https://api3.geo.admin.ch' },
  };

  it('should name the listening address, the page, the API docs, the database, the address directory and where e-mails go', () => {
    expect(startupBanner(facts).split('\n')).toEqual([
      'Listening on 0.0.0.0:41234',
      '  Page:      http://localhost:41234/',
      '  API docs:  http://localhost:41234/docs',
      '  Database:  embedded PostgreSQL (PGlite) in /srv/leg/data',
      '  Addresses: offline DEMO gazetteer of Baden AG (not real data; ADDRESS_DIRECTORY=geoadmin for federal geodata)',
      '  E-mails:   development files in /srv/leg/data/mail',
    ]);
  });

  it('should link the public address when APP_BASE_URL points to a proxy, path included', () => {
    expect(startupBanner({ ...facts, port: 3000, baseUrl: 'https://leg.example.ch/match' })).toContain('  API docs:  https://leg.example.ch/match/docs');
  });
});

describe(addressDirectoryLine.name, () => {
  it('should name the federal service the geoadmin directory asks', () => {
    expect(addressDirectoryLine({ kind: 'geoadmin', geoadminUrl: 'https://api3.geo.admin.ch' })).toBe('federal geodata at https://api3.geo.admin.ch');
  });
});

describe(openableBaseUrl.name, () => {
  it.each([
    ['http://localhost:3000', 5555, 'http://localhost:5555/'],
    ['http://127.0.0.1:3000/', 8080, 'http://127.0.0.1:8080/'],
    ['http://[::1]:3000', 4000, 'http://[::1]:4000/'],
    ['https://leg.example.ch', 3000, 'https://leg.example.ch/'],
    ['https://leg.example.ch/match/', 3000, 'https://leg.example.ch/match/'],
  ])('should turn %s with port %d into %s', (baseUrl, port, expected) => {
    expect(openableBaseUrl(baseUrl, port)).toBe(expected);
  });
});
