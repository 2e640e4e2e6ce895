import { HomeFacts, homePage } from './home-page';

describe(homePage.name, () => {
  const facts: HomeFacts = { appName: 'LEG Match', version: '1.2.3', databaseUp: true, databaseMode: 'embedded', addressDirectory: 'offline' };

  it('should say what the service is, in German and in English', () => {
    const sut = homePage(facts);

    expect(sut).toContain('Lokale Elektrizitätsgemeinschaft (LEG)');
    expect(sut).toContain('local electricity\ncommunity (LEG)');
    expect(sut).toMatch(/<span lang="de">Datenbank<\/span> <span class="en" lang="en">Database<\/span>/);
  });

  it('should show the version, the database state and mode, and that the offline directory is demo data', () => {
    const sut = homePage(facts);

    expect(sut).toMatch(/<tr id="version">.*1\.2\.3/);
    expect(sut).toMatch(/<tr id="database">.*class="ok".*erreichbar.*up/);
    expect(sut).toMatch(/<tr id="database-mode">.*eingebettet.*embedded/);
    expect(sut).toMatch(/<tr id="address-directory">.*Demodaten.*demo data/);
  });

  it('should say plainly when the database is down, on a server, with the federal directory', () => {
    const sut = homePage({ ...facts, databaseUp: false, databaseMode: 'server', addressDirectory: 'geoadmin' });

    expect(sut).toMatch(/<tr id="database">.*class="bad".*nicht erreichbar.*down/);
    expect(sut).toMatch(/<tr id="database-mode">.*externer PostgreSQL-Server.*external PostgreSQL server/);
    expect(sut).toMatch(/<tr id="address-directory">.*geo\.admin\.ch/);
  });

  it('should link the API documentation, its description and the health check relative to the page', () => {
    const sut = homePage(facts);

    expect([...sut.matchAll(/href="([^"]+)"/g)].map((match) => match[1])).toEqual(['docs', 'docs-json', 'health']);
  });

  it('should load nothing: no script, no external resource', () => {
    const sut = homePage(facts);

    expect(sut).not.toContain('<script');
    expect(sut).not.toMatch(/\b(src|href)="(https?:)?\/\//);
    expect(sut).not.toContain('<link');
  });

  it('should escape the brand name', () => {
    expect(homePage({ ...facts, appName: 'LEG <b>Match</b>' })).toContain('<h1>LEG &lt;b&gt;Match&lt;/b&gt;</h1>');
  });
});
