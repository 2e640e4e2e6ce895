import { combinedSql } from './statement-parts';

describe(combinedSql.name, () => {
  it('should number each part’s parameters after the previous parts’ and read every part into its own column', () => {
    const sut = combinedSql([
      { sql: 'SELECT count(*) FROM a WHERE x = $1 AND y <> $2', parameters: [1, 2] },
      { sql: 'INSERT INTO b VALUES ($1, $1) RETURNING id', effects: ['DELETE FROM c WHERE id = $1'], parameters: [3] },
    ]);

    expect(sut).toBe(
      'WITH p0 AS (SELECT count(*) FROM a WHERE x = $1 AND y <> $2), p1_0 AS (DELETE FROM c WHERE id = $3), p1 AS (INSERT INTO b VALUES ($3, $3) RETURNING id) ' +
        "SELECT (SELECT coalesce(json_agg(p0), '[]'::json) FROM p0) AS p0, (SELECT coalesce(json_agg(p1), '[]'::json) FROM p1) AS p1",
    );
  });

  it('should renumber two-digit placeholders as a whole', () => {
    const parameters = Array.from({ length: 11 }, (_, i) => i);
    const sut = combinedSql([
      { sql: 'SELECT $1', parameters: [0] },
      { sql: 'SELECT $11, $1', parameters },
    ]);

    expect(sut).toContain('p1 AS (SELECT $12, $2)');
  });
});
