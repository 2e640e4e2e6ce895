/** What the page at / tells a visitor: all of it safe to show anyone (no host names, no passwords). */
export type HomeFacts = {
  appName: string;
  version: string;
  databaseUp: boolean;
  databaseMode: 'embedded' | 'server';
  addressDirectory: 'geoadmin' | 'offline';
};

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

type Bilingual = { de: string; en: string };

/** One row of the status table: a label and a value, each in German and English (or one value for both). */
function row(label: Bilingual, value: Bilingual | string, state: 'ok' | 'bad' | 'note' | 'plain', id: string): string {
  const shown = typeof value === 'string' ? value : `<span lang="de">${value.de}</span> <span class="en" lang="en">${value.en}</span>`;
  return `<tr id="${id}"><th scope="row"><span lang="de">${label.de}</span> <span class="en" lang="en">${label.en}</span></th><td class="${state}">${shown}</td></tr>`;
}

function databaseRow(up: boolean): string {
  return row(
    { de: 'Datenbank', en: 'Database' },
    up ? { de: 'erreichbar', en: 'up' } : { de: 'nicht erreichbar', en: 'down' },
    up ? 'ok' : 'bad',
    'database',
  );
}

function modeRow(mode: HomeFacts['databaseMode']): string {
  return row(
    { de: 'Datenbankbetrieb', en: 'Database mode' },
    mode === 'embedded'
      ? { de: 'eingebettet (PGlite, für Entwicklung und zum Ausprobieren)', en: 'embedded (PGlite, for development and trying out)' }
      : { de: 'externer PostgreSQL-Server', en: 'external PostgreSQL server' },
    'plain',
    'database-mode',
  );
}

function directoryRow(directory: HomeFacts['addressDirectory']): string {
  return row(
    { de: 'Adressverzeichnis', en: 'Address directory' },
    directory === 'offline'
      ? {
          de: 'offline: Demodaten von Baden AG, keine echten Gebäude',
          en: 'offline: demo data of Baden AG, not real buildings',
        }
      : { de: 'geoadmin: Geodaten des Bundes (geo.admin.ch)', en: 'geoadmin: federal geodata (geo.admin.ch)' },
    directory === 'offline' ? 'note' : 'plain',
    'address-directory',
  );
}

/**
 * The page at /: what this service is, how it is doing and where the API is. German and English;
 * no script and no external resource, so it passes the service's own Content-Security-Policy.
 */
export function homePage(facts: HomeFacts): string {
  const name = escapeHtml(facts.appName);
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${name}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:46rem;margin:2.5rem auto;padding:0 1rem;color:#1d2b36;line-height:1.5}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:2rem}
.en{color:#5b6b77}p .en,li .en{display:block}
table{border-collapse:collapse;width:100%}th,td{text-align:left;vertical-align:top;padding:.45rem .6rem;border-bottom:1px solid #dde3e8}
th{width:38%;font-weight:600}td .en{display:block;font-size:.9rem}
.ok{color:#1f7a3f}.bad{color:#a3261b;font-weight:600}.note{color:#8a5a00}
ul{padding-left:1.2rem}li{margin:.35rem 0}code{background:#eef2f5;padding:.05rem .3rem;border-radius:.2rem}
.muted{color:#5b6b77;font-size:.9rem;margin-top:2rem}
</style>
</head>
<body>
<h1>${name}</h1>
<p><span lang="de">Der Dienst hinter einer Plattform, auf der Hauseigentümerinnen und -eigentümer Nachbarn finden, um eine
Lokale Elektrizitätsgemeinschaft (LEG) zu gründen: Adresse prüfen, Gebäude anonym oder vollständig registrieren,
E-Mail bestätigen. Gebäude im Umkreis von 150 m werden zu möglichen Gemeinschaften gruppiert.</span>
<span class="en" lang="en">The service behind a platform where building owners find neighbours to found a local electricity
community (LEG): check an address, register a building anonymously or fully, confirm the e-mail. Buildings within
150 m of each other are grouped into candidate communities.</span></p>

<h2><span lang="de">Zustand</span> <span class="en" lang="en">Status</span></h2>
<table>
${row({ de: 'Version', en: 'Version' }, escapeHtml(facts.version), 'plain', 'version')}
${databaseRow(facts.databaseUp)}
${modeRow(facts.databaseMode)}
${directoryRow(facts.addressDirectory)}
</table>

<h2><span lang="de">Schnittstelle</span> <span class="en" lang="en">API</span></h2>
<ul>
<li><a href="docs">/docs</a> – <span lang="de">API-Dokumentation zum Ausprobieren (Swagger UI)</span>
<span class="en" lang="en">API documentation to try out (Swagger UI)</span></li>
<li><a href="docs-json">/docs-json</a> – <span lang="de">OpenAPI-Beschreibung (JSON)</span>
<span class="en" lang="en">OpenAPI description (JSON)</span></li>
<li><a href="health">/health</a> – <span lang="de">Zustandsprüfung für die Überwachung</span>
<span class="en" lang="en">Health check for monitoring</span></li>
</ul>
<p class="muted">${name} ${escapeHtml(facts.version)}</p>
</body>
</html>
`;
}
