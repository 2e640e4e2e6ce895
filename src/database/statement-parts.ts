import type { EntityManager } from 'typeorm';

/**
 * One module's statement on its own tables, to be run together with other modules' in one round
 * trip (see runTogether). `sql` is a single SELECT, or an INSERT/UPDATE/DELETE with RETURNING (the
 * combined statement reads every part's rows), without a WITH clause of its own; `effects` are statements
 * that run with it for what they change (their rows are not read), such as taking a record out of
 * another table. All of them number the part's parameters from $1 and use `$` for nothing else;
 * `read` turns the rows of `sql`, as JSON objects, into the answer the module promises.
 */
export type StatementPart<T> = {
  sql: string;
  effects?: readonly string[];
  parameters: readonly unknown[];
  read: (rows: Record<string, unknown>[]) => T;
};

type Answers<Parts extends Record<string, StatementPart<unknown>>> = { [Name in keyof Parts]: Parts[Name] extends StatementPart<infer T> ? T : never };

const PLACEHOLDER = /\$(\d+)/g;

/**
 * The parts as CTEs of one statement, each one's rows aggregated into a JSON column p0, p1, …
 * (a data-modifying CTE runs whether or not it is read, so the effects need no column).
 */
export function combinedSql(parts: readonly Pick<StatementPart<unknown>, 'sql' | 'effects' | 'parameters'>[]): string {
  let offset = 0;
  const ctes: string[] = [];
  const columns: string[] = [];
  parts.forEach((part, index) => {
    const shift = offset;
    const shifted = (sql: string): string => sql.replace(PLACEHOLDER, (_, n: string) => `$${Number(n) + shift}`);
    offset += part.parameters.length;
    (part.effects ?? []).forEach((effect, effectIndex) => ctes.push(`p${index}_${effectIndex} AS (${shifted(effect)})`));
    ctes.push(`p${index} AS (${shifted(part.sql)})`);
    columns.push(`(SELECT coalesce(json_agg(p${index}), '[]'::json) FROM p${index}) AS p${index}`);
  });
  return `WITH ${ctes.join(', ')} SELECT ${columns.join(', ')}`;
}

/**
 * Runs the parts as one statement in the caller's transaction: one round trip instead of one per
 * statement, while each module still writes the SQL for its own tables. All parts see one
 * snapshot, taken when the statement starts: none sees another's changes (so no two may change the
 * same row), and any lock they depend on must be taken in an earlier statement. Every part runs to
 * completion even when the caller needs only some of the answers.
 */
export async function runTogether<Parts extends Record<string, StatementPart<unknown>>>(manager: EntityManager, parts: Parts): Promise<Answers<Parts>> {
  const names = Object.keys(parts);
  const list = names.map((name) => parts[name]);
  const [row] = await manager.query<Record<string, Record<string, unknown>[]>[]>(
    combinedSql(list),
    list.flatMap((part) => part.parameters),
  );
  return Object.fromEntries(names.map((name, index) => [name, list[index].read(row[`p${index}`])])) as Answers<Parts>;
}
