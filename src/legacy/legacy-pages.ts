import { escapeHtml, page } from '../registration/pages';

export function unsubscribeFormPage(appName: string, error?: string): string {
  return page(
    appName,
    'Abmelden',
    `${error ? `<p role="alert"><strong>${escapeHtml(error)}</strong></p>` : ''}
<p>Geben Sie die E-Mail-Adresse an, mit der Sie sich registriert haben. Wir senden Ihnen einen Link, mit dem Sie sich abmelden und Ihre Daten löschen können.</p>
<form method="post" action="/unsubscribe"><p><label>E-Mail-Adresse<br><input type="email" name="email" required maxlength="320" autocomplete="email"></label></p>
<button type="submit">Abmeldelink senden</button></form>`,
  );
}

export function unsubscribeRequestedPage(appName: string): string {
  return page(
    appName,
    'E-Mail unterwegs',
    '<p>Wenn diese Adresse bei uns registriert ist, erhalten Sie in Kürze eine E-Mail mit einem Link zum Abmelden.</p>',
  );
}
