import { ArgumentsHost, Catch, ExceptionFilter, Injectable, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { ErrorBody, RouteErrorShape, toErrorBody } from '../common/http-error.filter';

/** The previous version's error shape: `{ "error": "<German message>" }`. */
export type LegacyErrorBody = { error: string };

const MESSAGES: Record<number, string> = {
  400: 'Ungültige Eingabe.',
  404: 'Adresse nicht gefunden. Bitte prüfen Sie die Schreibweise oder wählen Sie einen Vorschlag.',
  405: 'Methode nicht erlaubt.',
  410: 'Dieser Link ist abgelaufen.',
  422: 'Diese Adresse liegt ausserhalb des Gebiets, das wir abdecken.',
  413: 'Die Anfrage ist zu gross.',
  415: 'Nicht unterstützter Inhaltstyp.',
  429: 'Zu viele Anfragen. Bitte warten Sie einen Moment und versuchen Sie es erneut.',
  503: 'Der Dienst ist vorübergehend nicht erreichbar. Bitte versuchen Sie es in einigen Minuten erneut.',
};

/** The JSON routes of the previous version, whose clients expect its error shape. */
const LEGACY_JSON_ROUTES = new Set(['/api/suggest_addresses', '/api/check_potential', '/api/register_anonymous', '/api/register_full', '/api/get_all_buildings', '/api/get_all_clusters']);

export function isLegacyJsonRoute(url: string | undefined): boolean {
  return LEGACY_JSON_ROUTES.has((url ?? '').split('?')[0].replace(/\/+$/, ''));
}

/** German message for a status; a 400 names the invalid field (the detail comes from validation). */
export function legacyErrorBody(status: number, detail?: string): LegacyErrorBody {
  const message = MESSAGES[status] ?? (status >= 500 ? 'Interner Fehler. Bitte versuchen Sie es später erneut.' : 'Ungültige Anfrage.');
  return { error: status === 400 && detail ? `${message} (${detail})` : message };
}

/** Errors raised before routing on the previous version's JSON routes keep its shape too. */
@Injectable()
export class LegacyRouteErrorShape extends RouteErrorShape {
  appliesTo(url: string): boolean {
    return isLegacyJsonRoute(url);
  }

  body(error: ErrorBody): LegacyErrorBody {
    return legacyErrorBody(error.statusCode, error.statusCode === 400 ? error.message : undefined);
  }
}

/** Scoped to the compatibility controller: same status codes as the API, the previous version's shape. */
@Catch()
export class LegacyErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('LegacyError');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const body = toErrorBody(exception, this.logger);
    if (response.headersSent) {
      response.end();
      return;
    }
    if (body.statusCode === 503) response.setHeader('Retry-After', '5');
    response.status(body.statusCode).json(legacyErrorBody(body.statusCode, body.statusCode === 400 ? body.message : undefined));
  }
}
