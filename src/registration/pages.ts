/** Small German pages for the links in e-mails; every interpolated value is escaped. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export function page(appName: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="de">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)} – ${escapeHtml(appName)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1d2b36;line-height:1.5}
h1{font-size:1.4rem}button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:.3rem;background:#1f7a3f;color:#fff;cursor:pointer}
.danger{background:#a3261b}.muted{color:#5b6b77;font-size:.9rem}
</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
<p class="muted">${escapeHtml(appName)}</p>
</body>
</html>`;
}

/**
 * The GET page only asks: mail scanners open links, and consent to share contact details with
 * neighbours must come from a person pressing the button.
 */
export function confirmPromptPage(appName: string, action: string): string {
  return page(
    appName,
    'Teilnahme bestätigen',
    `<p>Mit Ihrer Bestätigung werden Ihre Kontaktdaten (Adresse, E-Mail und, falls angegeben, Telefonnummer)
an bestätigte Nachbarinnen und Nachbarn derselben möglichen Lokalen Elektrizitätsgemeinschaft (LEG) weitergegeben.</p>
<form method="post" action="${escapeHtml(action)}"><button type="submit">Ja, ich bestätige meine Teilnahme</button></form>`,
  );
}

export function confirmedPage(appName: string, alreadyVerified: boolean, waitingUntil: string | null = null): string {
  if (waitingUntil) {
    return page(
      appName,
      'E-Mail-Adresse bestätigt',
      `<p>Dieses Gebäude ist bereits von einer anderen Person angemeldet. Wir haben sie gefragt; widerspricht sie nicht, geht die Anmeldung am ${escapeHtml(swissDateTime(waitingUntil))} an Sie über.</p>`,
    );
  }
  return page(
    appName,
    alreadyVerified ? 'Bereits bestätigt' : 'Vielen Dank!',
    alreadyVerified
      ? '<p>Ihre E-Mail-Adresse war bereits bestätigt. Sie müssen nichts weiter tun.</p>'
      : '<p>Ihre Teilnahme ist bestätigt. Sobald bestätigte Nachbarn in Ihrer Nähe sind, erhalten Sie deren Kontaktdaten per E-Mail.</p>',
  );
}

export type DisclosureLine = { recipient_address: string | null; sent_at: string };

export function unsubscribePromptPage(appName: string, action: string, disclosures: DisclosureLine[]): string {
  return page(
    appName,
    'Abmelden und Daten löschen',
    `${disclosureList(disclosures)}
<p>Wenn Sie sich abmelden, löschen wir Ihr Gebäude, Ihre Kontaktdaten und alle zugehörigen Daten endgültig.</p>
<form method="post" action="${escapeHtml(action)}"><button class="danger" type="submit">Abmelden und Daten löschen</button></form>`,
  );
}

/** Who received the person's contact details (their own link shows it to them). */
function disclosureList(disclosures: DisclosureLine[]): string {
  if (disclosures.length === 0) return '<p>Ihre Kontaktangaben wurden bisher an niemanden weitergegeben.</p>';
  const items = disclosures.map((d) => `<li>${escapeHtml(d.recipient_address ?? 'eine inzwischen abgemeldete Person')}, ${escapeHtml(swissDateTime(d.sent_at))}</li>`);
  return `<p>Ihre Kontaktangaben gingen an:</p>\n<ul>${items.join('')}</ul>`;
}

function swissDateTime(iso: string): string {
  return new Date(iso).toLocaleString('de-CH', { timeZone: 'Europe/Zurich', dateStyle: 'medium', timeStyle: 'short' });
}

/** Mail scanners open links: the holder decides by pressing one of the buttons. */
export function handoverPromptPage(appName: string, action: string): string {
  return page(
    appName,
    'Übergabe der Anmeldung',
    `<p>Eine andere Person hat Ihr Gebäude angemeldet und ihre E-Mail-Adresse bestätigt. Wenn das Gebäude den Besitz gewechselt hat,
stimmen Sie der Übergabe zu: Ihre Angaben zu diesem Gebäude werden dann gelöscht. Wenn nicht, widersprechen Sie: dann bleibt alles wie bisher.</p>
<form method="post" action="${escapeHtml(action)}/object"><button type="submit">Widersprechen – die Anmeldung bleibt meine</button></form>
<p></p>
<form method="post" action="${escapeHtml(action)}/agree"><button class="danger" type="submit">Zustimmen – die Anmeldung übergeben</button></form>`,
  );
}

export function handoverDecidedPage(appName: string, transferred: boolean): string {
  return transferred
    ? page(appName, 'Übergeben', '<p>Die Anmeldung ist übergeben. Ihre Angaben zu diesem Gebäude wurden gelöscht.</p>')
    : page(appName, 'Widersprochen', '<p>Ihre Anmeldung bleibt unverändert. Die andere Anmeldung wurde gelöscht.</p>');
}

export function unsubscribedPage(appName: string): string {
  return page(appName, 'Abgemeldet', '<p>Ihre Daten wurden gelöscht. Sie erhalten keine weiteren E-Mails von uns.</p>');
}

const ERROR_TEXT: Record<number, string> = {
  400: 'Dieser Link ist ungültig. Bitte prüfen Sie, ob er vollständig kopiert wurde.',
  404: 'Dieser Link ist unbekannt oder wurde durch einen neueren ersetzt.',
  409: 'Für dieses Gebäude wartet bereits eine andere Anmeldung auf die Antwort der angemeldeten Person. Bitte versuchen Sie es später erneut.',
  410: 'Dieser Bestätigungslink ist abgelaufen. Bitte registrieren Sie sich erneut, um einen neuen Link zu erhalten.',
  429: 'Zu viele Versuche oder E-Mails. Bitte warten Sie eine Weile und versuchen Sie es erneut.',
  503: 'Der Dienst ist vorübergehend nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut.',
};

export function errorPage(appName: string, status: number): string {
  return page(appName, 'Das hat nicht geklappt', `<p>${escapeHtml(ERROR_TEXT[status] ?? 'Es ist ein Fehler aufgetreten. Bitte versuchen Sie es später erneut.')}</p>`);
}
