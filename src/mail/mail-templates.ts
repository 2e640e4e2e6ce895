/**
 * The e-mails the service sends, as pure functions: German texts, the brand from APP_NAME, and every
 * interpolated value HTML-escaped in the HTML part (addresses and e-mail addresses are user input).
 */

export type RenderedMail = { subject: string; text: string; html: string };

export type ContactMember = { address: string | null; email: string; phone: string | null; isNew?: boolean };

export type ContactMailInput = {
  appName: string;
  recipientAddress: string | null;
  autarkyPercent: number;
  members: ContactMember[];
  unsubscribeUrl: string;
};

export const VERIFICATION_SUBJECT = 'Bitte bestätigen Sie Ihre Teilnahme';
export const UNSUBSCRIBE_LINK_SUBJECT = 'Ihr Abmeldelink';
export const CONTACT_OVERVIEW_SUBJECT = 'Ihre mögliche LEG: Kontakte Ihrer Nachbarn';
export const NEW_NEIGHBOUR_SUBJECT = 'Neue interessierte Nachbarn in Ihrer Nähe';

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}

/** Swiss-German style with one decimal and a comma: 42.25 → "42,3 %". */
export function formatPercent(value: number): string {
  return `${(Math.round(value * 10) / 10).toFixed(1).replace('.', ',')} %`;
}

function buildingLabel(address: string | null): string {
  return address?.trim() ? address.trim() : 'Ihr Gebäude';
}

function link(url: string, label: string): string {
  return `<a href="${escapeHtml(url)}">${escapeHtml(label)}</a>`;
}

function page(appName: string, body: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="de-CH"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(appName)}</title></head>`,
    '<body style="font-family: Arial, Helvetica, sans-serif; line-height: 1.5; color: #1a1a1a;">',
    body,
    `<p>Freundliche Grüsse<br>${escapeHtml(appName)}</p>`,
    '</body></html>',
  ].join('\n');
}

function signature(appName: string): string {
  return `Freundliche Grüsse\n${appName}`;
}

const SHARING_SENTENCE =
  'Mit Ihrer Bestätigung werden Ihre Kontaktangaben (Adresse, E-Mail-Adresse und, falls angegeben, Telefonnummer) ' +
  'mit den interessierten Nachbarn derselben möglichen Lokalen Elektrizitätsgemeinschaft (LEG) geteilt, ' +
  'und Sie erhalten deren Kontaktangaben.';

export function verificationMail(input: {
  appName: string;
  address: string | null;
  confirmUrl: string;
  unsubscribeUrl: string;
}): RenderedMail {
  const { appName, confirmUrl, unsubscribeUrl } = input;
  const building = buildingLabel(input.address);
  const text = [
    'Guten Tag',
    '',
    `Sie haben sich bei ${appName} für ${building} angemeldet. Bitte bestätigen Sie Ihre Teilnahme mit diesem Link:`,
    '',
    confirmUrl,
    '',
    SHARING_SENTENCE,
    '',
    'Falls Sie sich nicht angemeldet haben, können Sie diese E-Mail ignorieren. Ohne Bestätigung werden keine Angaben weitergegeben.',
    '',
    `Abmelden und alle Angaben löschen: ${unsubscribeUrl}`,
    '',
    signature(appName),
  ].join('\n');
  const html = page(
    appName,
    [
      '<p>Guten Tag</p>',
      `<p>Sie haben sich bei ${escapeHtml(appName)} für <strong>${escapeHtml(building)}</strong> angemeldet. Bitte bestätigen Sie Ihre Teilnahme:</p>`,
      `<p>${link(confirmUrl, 'Teilnahme bestätigen')}</p>`,
      `<p>${escapeHtml(SHARING_SENTENCE)}</p>`,
      '<p>Falls Sie sich nicht angemeldet haben, können Sie diese E-Mail ignorieren. Ohne Bestätigung werden keine Angaben weitergegeben.</p>',
      `<p style="font-size: 0.9em;">${link(unsubscribeUrl, 'Abmelden und alle Angaben löschen')}</p>`,
    ].join('\n'),
  );
  return { subject: VERIFICATION_SUBJECT, text, html };
}

export function unsubscribeLinkMail(input: { appName: string; address: string | null; unsubscribeUrl: string }): RenderedMail {
  const { appName, unsubscribeUrl } = input;
  const building = buildingLabel(input.address);
  const ignore = 'Falls Sie diesen Link nicht angefordert haben, können Sie diese E-Mail ignorieren; es wird nichts gelöscht.';
  const text = [
    'Guten Tag',
    '',
    `Sie haben einen Link angefordert, um ${building} bei ${appName} abzumelden. Mit diesem Link werden alle Ihre Angaben gelöscht:`,
    '',
    unsubscribeUrl,
    '',
    ignore,
    '',
    signature(appName),
  ].join('\n');
  const html = page(
    appName,
    [
      '<p>Guten Tag</p>',
      `<p>Sie haben einen Link angefordert, um <strong>${escapeHtml(building)}</strong> bei ${escapeHtml(appName)} abzumelden. Mit diesem Link werden alle Ihre Angaben gelöscht:</p>`,
      `<p>${link(unsubscribeUrl, 'Abmelden und alle Angaben löschen')}</p>`,
      `<p>${escapeHtml(ignore)}</p>`,
    ].join('\n'),
  );
  return { subject: UNSUBSCRIBE_LINK_SUBJECT, text, html };
}

function memberLine(member: ContactMember): string {
  const parts = [buildingLabel(member.address), member.email, ...(member.phone ? [member.phone] : [])];
  return `- ${parts.join(' · ')}${member.isNew ? ' (NEU)' : ''}`;
}

function memberTable(members: ContactMember[]): string {
  const cell = 'style="padding: 4px 8px; border-bottom: 1px solid #ddd; text-align: left;"';
  const rows = members.map((member) => {
    const marker = member.isNew ? ' <strong style="color: #0a7d32;">NEU</strong>' : '';
    const phone = member.phone ? escapeHtml(member.phone) : '–';
    return (
      `<tr><td ${cell}>${escapeHtml(buildingLabel(member.address))}${marker}</td>` +
      `<td ${cell}>${link(`mailto:${member.email}`, member.email)}</td><td ${cell}>${phone}</td></tr>`
    );
  });
  return [
    '<table style="border-collapse: collapse;">',
    `<thead><tr><th ${cell}>Adresse</th><th ${cell}>E-Mail</th><th ${cell}>Telefon</th></tr></thead>`,
    `<tbody>${rows.join('\n')}</tbody>`,
    '</table>',
  ].join('\n');
}

function contactMail(subject: string, intro: string, input: ContactMailInput): RenderedMail {
  const { appName, members, unsubscribeUrl } = input;
  const autarky = formatPercent(input.autarkyPercent);
  const building = buildingLabel(input.recipientAddress);
  const potential = `Gemeinsam könnten Sie etwa ${autarky} Ihres Strombedarfs mit eigenem Solarstrom decken (Autarkiepotenzial).`;
  const privacy = 'Bitte verwenden Sie diese Kontaktangaben nur, um gemeinsam eine LEG zu prüfen, und geben Sie sie nicht weiter.';
  const unsubscribe = 'Wenn Sie nicht mehr teilnehmen möchten, melden Sie sich hier ab; Ihre Angaben werden dann gelöscht und nicht mehr geteilt:';
  const text = [
    'Guten Tag',
    '',
    intro.replace('{building}', () => building),
    '',
    potential,
    '',
    'Bestätigte Teilnehmende:',
    ...members.map(memberLine),
    '',
    privacy,
    '',
    `${unsubscribe} ${unsubscribeUrl}`,
    '',
    signature(appName),
  ].join('\n');
  const html = page(
    appName,
    [
      '<p>Guten Tag</p>',
      `<p>${escapeHtml(intro).replace('{building}', () => `<strong>${escapeHtml(building)}</strong>`)}</p>`,
      `<p>${escapeHtml(potential)}</p>`,
      memberTable(members),
      `<p>${escapeHtml(privacy)}</p>`,
      `<p style="font-size: 0.9em;">${escapeHtml(unsubscribe)} ${link(unsubscribeUrl, 'Abmelden')}</p>`,
    ].join('\n'),
  );
  return { subject, text, html };
}

/** To every confirmed member once a possible community exists: everyone's contact details. */
export function contactOverviewMail(input: ContactMailInput): RenderedMail {
  return contactMail(
    CONTACT_OVERVIEW_SUBJECT,
    'Für {building} gibt es in der Nähe weitere Gebäude, deren Eigentümerinnen und Eigentümer ebenfalls an einer Lokalen Elektrizitätsgemeinschaft (LEG) interessiert sind und ihre Teilnahme bestätigt haben. Hier sind ihre Kontaktangaben.',
    input,
  );
}

/** To the existing members when someone new confirms nearby: the same list, new members marked NEU. */
export function newNeighbourMail(input: ContactMailInput): RenderedMail {
  return contactMail(
    NEW_NEIGHBOUR_SUBJECT,
    'In der Nähe von {building} haben weitere Nachbarn ihr Interesse an einer Lokalen Elektrizitätsgemeinschaft (LEG) bestätigt. Neue Teilnehmende sind mit NEU markiert.',
    input,
  );
}

export const HANDOVER_REQUEST_SUBJECT = 'Jemand möchte die Anmeldung Ihres Gebäudes übernehmen';
export const HANDOVER_DECLINED_SUBJECT = 'Ihre Anmeldung wurde nicht übernommen';
export const HANDOVER_DONE_SUBJECT = 'Die Anmeldung Ihres Gebäudes wurde übergeben';
export const REGISTRATION_ACTIVE_SUBJECT = 'Ihre Anmeldung ist aktiv';
export const MAILBOX_LIMIT_SUBJECT = 'Ihre Anmeldung wurde nicht gespeichert';

/** A short mail: paragraphs of plain text, then links (label and URL), then the signature. */
function notice(appName: string, subject: string, paragraphs: string[], links: { label: string; url: string }[] = []): RenderedMail {
  const text = ['Guten Tag', '', ...paragraphs.flatMap((p) => [p, '']), ...links.flatMap((l) => [`${l.label}: ${l.url}`, '']), signature(appName)].join('\n');
  const html = page(appName, ['<p>Guten Tag</p>', ...paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`), ...links.map((l) => `<p>${link(l.url, l.label)}</p>`)].join('\n'));
  return { subject, text, html };
}

/** Swiss date, e.g. 16.12.2026. */
function swissDate(date: Date): string {
  return `${String(date.getUTCDate()).padStart(2, '0')}.${String(date.getUTCMonth() + 1).padStart(2, '0')}.${date.getUTCFullYear()}`;
}

/** To the holder of a building when someone else has registered it and confirmed their e-mail address. */
export function handoverRequestMail(input: { appName: string; address: string | null; decideUrl: string; appliesAt: Date }): RenderedMail {
  const building = buildingLabel(input.address);
  return notice(input.appName, HANDOVER_REQUEST_SUBJECT, [
    `Eine andere Person hat ${building} bei ${input.appName} angemeldet und ihre E-Mail-Adresse bestätigt. Ihre Anmeldung bleibt unverändert, bis Sie entscheiden.`,
    `Wenn das Gebäude den Besitz gewechselt hat, stimmen Sie der Übergabe zu. Wenn nicht, widersprechen Sie: dann bleibt alles wie bisher. Ohne Antwort geht die Anmeldung am ${swissDate(input.appliesAt)} an die andere Person über, und Ihre Angaben zu diesem Gebäude werden gelöscht.`,
  ], [{ label: 'Zustimmen oder widersprechen', url: input.decideUrl }]);
}

/** To the claimant when the holder objected. */
export function handoverDeclinedMail(input: { appName: string; address: string | null }): RenderedMail {
  return notice(input.appName, HANDOVER_DECLINED_SUBJECT, [
    `Die bisherige Anmeldung von ${buildingLabel(input.address)} bleibt bestehen: die angemeldete Person hat der Übergabe widersprochen. Ihre Angaben haben wir gelöscht.`,
  ]);
}

/** To the previous holder when the registration has passed to someone else. */
export function handoverDoneMail(input: { appName: string; address: string | null }): RenderedMail {
  return notice(input.appName, HANDOVER_DONE_SUBJECT, [
    `Die Anmeldung von ${buildingLabel(input.address)} ist an die Person übergegangen, die das Gebäude neu angemeldet hat. Ihre Angaben zu diesem Gebäude haben wir gelöscht; Ihre Abmeldelinks für dieses Gebäude gelten nicht mehr.`,
  ]);
}

/** To the new holder once a registration that waited for the previous holder applies. */
export function registrationActiveMail(input: { appName: string; address: string | null; unsubscribeUrl: string }): RenderedMail {
  return notice(input.appName, REGISTRATION_ACTIVE_SUBJECT, [
    `Ihre Anmeldung von ${buildingLabel(input.address)} ist jetzt aktiv. Sobald bestätigte Nachbarn in Ihrer Nähe sind, erhalten Sie deren Kontaktangaben per E-Mail.`,
  ], [{ label: 'Abmelden und alle Angaben löschen', url: input.unsubscribeUrl }]);
}

/** To a mailbox that already holds the most registrations allowed. */
export function mailboxLimitMail(input: { appName: string; address: string | null; limit: number }): RenderedMail {
  return notice(input.appName, MAILBOX_LIMIT_SUBJECT, [
    `Sie haben ${buildingLabel(input.address)} bei ${input.appName} angemeldet. Mit dieser E-Mail-Adresse sind bereits ${input.limit} Gebäude angemeldet, mehr sind nicht möglich; die neue Anmeldung haben wir deshalb nicht gespeichert.`,
    'Wenn Sie ein anderes Gebäude abmelden, können Sie dieses anmelden. Falls Sie sich nicht angemeldet haben, können Sie diese E-Mail ignorieren.',
  ]);
}
