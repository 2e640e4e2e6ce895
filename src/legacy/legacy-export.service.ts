import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BuildingRecordsService } from '../building-records/building-records.service';
import { CommunityStore } from '../communities/store/community.store';
import { TOKEN_KINDS } from '../tokens/token-format';
import { TokensService } from '../tokens/tokens.service';
import { toEpochSeconds, toLegacyRecord } from './legacy-format';

/** Receives the export piece by piece; resolves when the piece may be followed by the next one. */
export type ExportSink = (chunk: string) => Promise<void>;

const PAGE = 1000;
const SECTIONS = [
  ['buildings', 'registered'],
  ['interest_pool', 'anonymous'],
] as const;

/** Writes `"key": value` entries, comma-separated, page by page. */
async function writeEntries<T>(pages: AsyncGenerator<T[]>, entry: (item: T) => string, write: ExportSink): Promise<void> {
  let first = true;
  for await (const page of pages) {
    await write(page.map((item, index) => `${first && index === 0 ? '\n' : ',\n'}${entry(item)}`).join(''));
    first = false;
  }
}

/**
 * Writes all data in the previous version's database.json shape, page by page (keyset pagination
 * in one REPEATABLE READ snapshot), so that 100 000 records never sit in memory at once. Tokens
 * exist only as hashes: they go under "token_hashes", which the importer reads back.
 */
@Injectable()
export class LegacyExportService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: BuildingRecordsService,
    private readonly tokens: TokensService,
    private readonly communities: CommunityStore,
  ) {}

  async export(write: ExportSink): Promise<void> {
    await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      await write('{\n');
      for (const [section, type] of SECTIONS) {
        await write(`"${section}": {`);
        await writeEntries(
          this.records.pagesOf(manager, type, PAGE),
          (record) => `${JSON.stringify(record.buildingId)}: ${JSON.stringify(toLegacyRecord(record))}`,
          write,
        );
        await write('},\n');
      }
      await write('"verification_tokens": {},\n"unsubscribe_tokens": {},\n"token_hashes": {');
      for (const [index, kind] of TOKEN_KINDS.entries()) {
        await write(`${index > 0 ? ',' : ''}\n"${kind}": {`);
        await writeEntries(
          this.tokens.pagesOf(manager, kind, PAGE),
          (token) =>
            `${JSON.stringify(token.hash)}: ${JSON.stringify({
              building_id: token.buildingId,
              created_at: toEpochSeconds(token.createdAt),
              expires_at: toEpochSeconds(token.expiresAt),
              used_at: toEpochSeconds(token.usedAt),
            })}`,
          write,
        );
        await write('}');
      }
      const states = await this.communities.contactListsByCommunity(manager);
      await write(`},\n"cluster_contact_state": ${JSON.stringify(Object.fromEntries(states))},\n`);
      const memberships = await this.communities.findCommunityOfEachBuilding(manager);
      await write(`"clusters": ${JSON.stringify(Object.fromEntries(memberships))},\n`);
      await write(`"last_saved": ${Date.now() / 1000}\n}\n`);
    });
  }
}
