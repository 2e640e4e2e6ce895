import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { RecordType } from '../../building-records/building-record';
import { RecordInput } from '../../building-records/record.repository';
import { mailboxSql } from '../../common/mailbox';
import { affectedCount } from '../../database/query-result';
import { StatementPart } from '../../database/statement-parts';
import { RegistrationClaim } from './registration-claim.entity';

/** The building as a claim keeps it: the signed address check and the claimant's figures, without contact details. */
export type ClaimedRecord = Omit<RecordInput, 'email' | 'phone' | 'verified' | 'verifiedAt' | 'registeredAt'>;

export type NewClaim = { buildingId: string; email: string; phone: string | null; recordType: RecordType; record: ClaimedRecord; claimTokenHash: string; expiresAt: Date };

const COLUMNS = `id, building_id AS "buildingId", email, phone, record_type AS "recordType", record, claim_token_hash AS "claimTokenHash",
  holder_token_hash AS "holderTokenHash", holder_email AS "holderEmail", created_at AS "createdAt", expires_at AS "expiresAt",
  confirmed_at AS "confirmedAt", apply_after AS "applyAfter"`;

/** The only code that touches registration_claims. */
@Injectable()
export class ClaimStore {
  /** One claim per building and e-mail address: registering again replaces it (and its link). */
  async save(manager: EntityManager, claim: NewClaim): Promise<void> {
    await manager.query(
      `INSERT INTO registration_claims (building_id, email, phone, record_type, record, claim_token_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (building_id, email) DO UPDATE SET phone = EXCLUDED.phone, record_type = EXCLUDED.record_type, record = EXCLUDED.record,
         claim_token_hash = EXCLUDED.claim_token_hash, expires_at = EXCLUDED.expires_at, created_at = now(),
         confirmed_at = NULL, apply_after = NULL, holder_token_hash = NULL, holder_email = NULL`,
      [claim.buildingId, claim.email, claim.phone, claim.recordType, JSON.stringify(claim.record), claim.claimTokenHash, claim.expiresAt],
    );
  }

  /** Without a lock: whether a token is a claim's at all, before the caller takes the locks a claim needs. */
  async hasClaimToken(manager: EntityManager, hash: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>('SELECT 1 FROM registration_claims WHERE claim_token_hash = $1', [hash]);
    return rows.length > 0;
  }

  async findByClaimToken(manager: EntityManager, hash: string): Promise<RegistrationClaim | null> {
    const [claim] = await manager.query<RegistrationClaim[]>(`SELECT ${COLUMNS} FROM registration_claims WHERE claim_token_hash = $1 FOR UPDATE`, [hash]);
    return claim ?? null;
  }

  async findByHolderToken(manager: EntityManager, hash: string): Promise<RegistrationClaim | null> {
    const [claim] = await manager.query<RegistrationClaim[]>(`SELECT ${COLUMNS} FROM registration_claims WHERE holder_token_hash = $1 FOR UPDATE`, [hash]);
    return claim ?? null;
  }

  /** The claim of the building that waits for its holder, if any (at most one at a time). */
  async waitingFor(manager: EntityManager, buildingId: string): Promise<RegistrationClaim | null> {
    const [claim] = await manager.query<RegistrationClaim[]>(`SELECT ${COLUMNS} FROM registration_claims WHERE building_id = $1 AND apply_after IS NOT NULL`, [buildingId]);
    return claim ?? null;
  }

  /** The claimant confirmed; the holder has been asked and decides until applyAfter. */
  async markWaiting(manager: EntityManager, id: string, holder: { tokenHash: string; email: string }, confirmedAt: Date, applyAfter: Date): Promise<void> {
    await manager.query(
      `UPDATE registration_claims SET confirmed_at = $2, holder_token_hash = $3, holder_email = $4, apply_after = $5 WHERE id = $1`,
      [id, confirmedAt, holder.tokenHash, holder.email, applyAfter],
    );
  }

  async remove(manager: EntityManager, id: string): Promise<void> {
    await manager.query('DELETE FROM registration_claims WHERE id = $1', [id]);
  }

  /** The building has a new holder: claims made against the previous one are void. */
  async removeForBuilding(manager: EntityManager, buildingId: string): Promise<number> {
    return affectedCount(await manager.query('DELETE FROM registration_claims WHERE building_id = $1', [buildingId]));
  }

  /** How many claims the mailbox has made, the given building's left out, as a part of a combined statement (runTogether). */
  mailboxCountPart(mailbox: string, exceptBuildingId: string): StatementPart<number> {
    return {
      sql: `SELECT count(*)::int AS count FROM registration_claims WHERE ${mailboxSql('email')} = $1 AND building_id <> $2`,
      parameters: [mailbox, exceptBuildingId],
      read: (rows) => rows[0].count as number,
    };
  }

  /** Unconfirmed claims whose link has expired, in one bounded batch. */
  async removeExpired(manager: EntityManager, limit: number): Promise<number> {
    return affectedCount(
      await manager.query(
        `DELETE FROM registration_claims WHERE id IN (
           SELECT id FROM registration_claims WHERE confirmed_at IS NULL AND expires_at < now() ORDER BY expires_at LIMIT $1 FOR UPDATE SKIP LOCKED)`,
        [limit],
      ),
    );
  }

  /** Claims whose holder let the waiting period pass. */
  async dueIds(manager: EntityManager, limit: number): Promise<string[]> {
    const rows = await manager.query<{ id: string }[]>('SELECT id FROM registration_claims WHERE apply_after <= now() ORDER BY apply_after LIMIT $1', [limit]);
    return rows.map((row) => row.id);
  }

  async findById(manager: EntityManager, id: string): Promise<RegistrationClaim | null> {
    const [claim] = await manager.query<RegistrationClaim[]>(`SELECT ${COLUMNS} FROM registration_claims WHERE id = $1 FOR UPDATE SKIP LOCKED`, [id]);
    return claim ?? null;
  }
}
