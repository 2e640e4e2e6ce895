import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { toEpochSeconds, toLegacyRecord } from './legacy-format';

/** Receives the export piece by piece; resolves when the piece may be followed by the next one. */
export type ExportSink = (chunk: string) => Promise<void>;

const PAGE = 1000;

type RecordRow = {
  building_id: string;
  email: string;
  phone: string | null;
  profile: Record<string, unknown>;
  verified: boolean;
  verified_at: Date | null;
  registered_at: Date;
};

type TokenRow = { token_hash: string; kind: string; building_id: string; created_at: Date; expires_at: Date | null; used_at: Date | null };

/**
 * Writes all data in the previous version's database.json shape, page by page (keyset pagination
 * in one REPEATABLE READ snapshot), so that 100 000 records never sit in memory at once. Tokens
 * exist only as hashes: they go under "token_hashes", which the importer reads back.
 */
@Injectable()
export class LegacyExportService {
  constructor(private readonly dataSource: DataSource) {}

  async export(write: ExportSink): Promise<void> {
    await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await write('{\n');
      for (const table of ['buildings', 'interest_pool'] as const) {
        await write(`"${table}": {`);
        await this.pages<RecordRow>(
          manager,
          `SELECT building_id, email, phone, profile, verified, verified_at, registered_at FROM ${table}`,
          'building_id',
          (row) =>
            `${JSON.stringify(row.building_id)}: ${JSON.stringify(
              toLegacyRecord({ buildingId: row.building_id, email: row.email, phone: row.phone, profile: row.profile, verified: row.verified, verifiedAt: row.verified_at, registeredAt: row.registered_at }),
            )}`,
          write,
        );
        await write('},\n');
      }
      await write('"verification_tokens": {},\n"unsubscribe_tokens": {},\n"token_hashes": {');
      for (const [index, kind] of (['verification', 'unsubscribe'] as const).entries()) {
        await write(`${index > 0 ? ',' : ''}\n"${kind}": {`);
        await this.pages<TokenRow>(
          manager,
          `SELECT token_hash, kind, building_id, created_at, expires_at, used_at FROM tokens WHERE kind = '${kind}'`,
          'token_hash',
          (row) =>
            `${JSON.stringify(row.token_hash)}: ${JSON.stringify({
              building_id: row.building_id,
              created_at: toEpochSeconds(row.created_at),
              expires_at: toEpochSeconds(row.expires_at),
              used_at: toEpochSeconds(row.used_at),
            })}`,
          write,
        );
        await write('}');
      }
      const states = await manager.query<{ cluster_id: string; building_ids: string[] }[]>(
        'SELECT cluster_id, building_ids FROM cluster_contact_state ORDER BY cluster_id',
      );
      await write(`},\n"cluster_contact_state": ${JSON.stringify(Object.fromEntries(states.map((s) => [s.cluster_id, s.building_ids])))},\n`);
      const members = await manager.query<{ building_id: string; cluster_id: string }[]>('SELECT building_id, cluster_id FROM cluster_members ORDER BY building_id');
      await write(`"clusters": ${JSON.stringify(Object.fromEntries(members.map((m) => [m.building_id, m.cluster_id])))},\n`);
      await write(`"last_saved": ${Date.now() / 1000}\n}\n`);
    });
  }

  /** Every row of a query, ordered by a unique key, PAGE rows per round trip, comma-separated. */
  private async pages<T extends Record<string, unknown>>(
    manager: EntityManager,
    select: string,
    key: keyof T & string,
    render: (row: T) => string,
    write: ExportSink,
  ): Promise<void> {
    const where = select.includes(' WHERE ') ? ' AND' : ' WHERE';
    let after: string | null = null;
    let first = true;
    for (;;) {
      const rows: T[] = await manager.query<T[]>(
        `${select}${after === null ? '' : `${where} ${key} > $2`} ORDER BY ${key} LIMIT $1`,
        after === null ? [PAGE] : [PAGE, after],
      );
      if (rows.length === 0) return;
      await write(rows.map((row, index) => `${first && index === 0 ? '\n' : ',\n'}${render(row)}`).join(''));
      first = false;
      after = String(rows[rows.length - 1][key]);
      if (rows.length < PAGE) return;
    }
  }
}
