/**
 * TypeORM answers UPDATE and DELETE (with or without RETURNING) with `[rows, affectedCount]` and
 * every other statement with the rows alone; these read either form.
 */
export function rowsOf<T>(result: unknown): T[] {
  if (isUpdateOrDeleteResult(result)) return result[0] as T[];
  return result as T[];
}

export function affectedCount(result: unknown): number {
  if (isUpdateOrDeleteResult(result)) return result[1];
  return Array.isArray(result) ? result.length : 0;
}

function isUpdateOrDeleteResult(result: unknown): result is [unknown[], number] {
  return Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number';
}
