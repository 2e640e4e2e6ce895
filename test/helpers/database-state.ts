import { DataSource } from 'typeorm';

/** The application tables (everything but migration and job bookkeeping). */
export async function applicationTables(dataSource: DataSource): Promise<string[]> {
  const rows = await dataSource.query<{ table_name: string }[]>(
    `SELECT table_name FROM information_schema.tables
     WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('migrations', 'job_runs')
     ORDER BY table_name`,
  );
  return rows.map((row) => row.table_name);
}

/** A checksum of every row of every application table: equal checksums, unchanged database. */
export async function databaseChecksum(dataSource: DataSource): Promise<Record<string, string>> {
  const checksum: Record<string, string> = {};
  for (const table of await applicationTables(dataSource)) {
    const [row] = await dataSource.query<{ rows: number; digest: string }[]>(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) AS digest FROM "${table}" t`,
    );
    checksum[table] = `${row.rows}:${row.digest}`;
  }
  return checksum;
}

/** Every table with a row whose text contains the needle, also hex-encoded as bytea columns render. */
export async function tablesContaining(dataSource: DataSource, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const table of await applicationTables(dataSource)) {
    const [row] = await dataSource.query<{ hits: number }[]>(
      `SELECT count(*)::int AS hits FROM "${table}" t WHERE t::text ILIKE $1 OR t::text ILIKE $2`,
      [`%${needle}%`, `%${Buffer.from(needle).toString('hex')}%`],
    );
    if (row.hits > 0) found.push(table);
  }
  return found;
}
