import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/**
 * The module boundaries, checked on the source: each table is touched only by the module that owns
 * it, common/ depends on no feature, and no two top-level folders import each other (directly or
 * through others).
 */

const SRC = resolve(__dirname, '..', 'src');

/** Each table and the folder of the module that owns it. */
const TABLE_OWNERS: Record<string, string> = {
  buildings: 'building-records/buildings',
  interest_pool: 'building-records/interest-pool',
  tokens: 'tokens',
  mail_outbox: 'mail',
  mail_recipient_quota: 'mail',
  registration_claims: 'registration/ownership',
  unsubscribe_requests: 'registration',
  job_runs: 'scheduling',
  communities: 'communities/store',
  community_buildings: 'communities/store',
  community_contact_lists: 'communities/store',
  community_contact_seeds: 'communities/store',
  community_pending_changes: 'communities/store',
  community_recomputation: 'communities/store',
  map_cells: 'communities/store',
  public_data_version: 'communities/store',
  address_cache: 'addresses',
  rate_limit_counters: 'rate-limits',
};

/** Folders every feature may use; the rest are features. */
const INFRASTRUCTURE = new Set(['common', 'config', 'database', 'logging']);

const SQL_TABLE_REFERENCE = /\b(?:FROM|JOIN|INTO|UPDATE|TABLE|TRUNCATE)\s+(?:ONLY\s+)?"?([a-z_]+)"?/gi;
/** String and template literals, where SQL lives (prose in comments may say "into communities"). */
const STRING_LITERAL = /'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`/g;
const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*'(\.{1,2}\/[^']+)'/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

const FILES = sourceFiles(SRC).map((path) => ({ path: relative(SRC, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }));

function isInside(path: string, folder: string): boolean {
  return path.startsWith(`${folder}/`);
}

/** The folder of the Nest module a file belongs to: its nearest ancestor holding a *.module.ts. */
function moduleFolderOf(path: string): string {
  const modules = new Set(FILES.filter((file) => file.path.endsWith('.module.ts')).map((file) => dirname(file.path)));
  for (let folder = dirname(path); folder !== '.'; folder = dirname(folder)) {
    if (modules.has(folder)) return folder;
  }
  return '.';
}

function topFolder(path: string): string {
  return path.includes('/') ? path.split('/')[0] : '(root)';
}

/** The files each file imports, as paths relative to src/ (without extension). */
function importsOf(file: { path: string; text: string }): string[] {
  const found: string[] = [];
  for (const match of file.text.matchAll(RELATIVE_IMPORT)) {
    const target = relative(SRC, resolve(SRC, dirname(file.path), match[1]));
    found.push(target.split(sep).join('/'));
  }
  return found;
}

function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of FILES) {
    const from = topFolder(file.path);
    for (const target of importsOf(file)) {
      const to = topFolder(target);
      if (to === from || target.startsWith('..')) continue;
      if (!graph.has(from)) graph.set(from, new Set());
      graph.get(from)!.add(to);
    }
  }
  return graph;
}

/** The folder cycles of a graph, each as the path that closes it (depth-first search). */
function cyclesOf(graph: Map<string, Set<string>>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const visit = (node: string, path: string[]): void => {
    if (path.includes(node)) {
      cycles.push([...path.slice(path.indexOf(node)), node]);
      return;
    }
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) visit(next, [...path, node]);
    done.add(node);
  };
  for (const node of graph.keys()) visit(node, []);
  return cycles;
}

describe('Module boundaries', () => {
  it('should find the source files, their SQL and their imports (the checks below are not vacuous)', () => {
    expect(FILES.length).toBeGreaterThan(50);
    expect(folderGraph().get('registration')).toContain('building-records');
    const tokensService = FILES.find((file) => file.path === 'tokens/tokens.service.ts')!;
    const tables = (tokensService.text.match(STRING_LITERAL) ?? []).flatMap((literal) => [...literal.matchAll(SQL_TABLE_REFERENCE)].map((m) => m[1]));
    expect(tables).toContain('tokens');
    expect(moduleFolderOf('communities/store/community.entity')).toBe('communities');
  });

  it('should mention each table in SQL only inside the module that owns it', () => {
    const trespasses: string[] = [];
    for (const file of FILES) {
      for (const literal of file.text.match(STRING_LITERAL) ?? []) {
        for (const match of literal.matchAll(SQL_TABLE_REFERENCE)) {
          const owner = TABLE_OWNERS[match[1].toLowerCase()];
          if (owner && !isInside(file.path, owner)) trespasses.push(`${file.path}: ${match[0]}`);
        }
      }
    }
    expect(trespasses).toEqual([]);
  });

  it('should import an entity (the handle of repositories and query builders) only inside its module', () => {
    const trespasses: string[] = [];
    for (const file of FILES) {
      for (const target of importsOf(file)) {
        if (!target.endsWith('.entity')) continue;
        const owner = moduleFolderOf(target);
        if (!isInside(file.path, owner)) trespasses.push(`${file.path} imports ${target}`);
      }
    }
    expect(trespasses).toEqual([]);
  });

  it('should keep common/ free of features', () => {
    const featureImports = FILES.filter((file) => isInside(file.path, 'common')).flatMap((file) =>
      importsOf(file)
        .filter((target) => !INFRASTRUCTURE.has(topFolder(target)))
        .map((target) => `${file.path} imports ${target}`),
    );
    expect(featureImports).toEqual([]);
  });

  it('should have no import cycle between top-level folders', () => {
    expect(cyclesOf(folderGraph())).toEqual([]);
  });

  it('should describe every module folder in docs/ARCHITECTURE.md, and no folder that does not exist', () => {
    const architecture = readFileSync(resolve(SRC, '..', 'docs', 'ARCHITECTURE.md'), 'utf8');
    const folders = new Set(FILES.filter((file) => file.path.includes('/')).map((file) => dirname(file.path)).filter((folder) => !folder.endsWith('/dto')));
    const documented = new Set([...architecture.matchAll(/^\| `([a-z-/]+)\/` \|/gm)].map((match) => match[1]));
    expect([...folders].filter((folder) => !documented.has(folder)).sort()).toEqual([]);
    expect([...documented].filter((folder) => !folders.has(folder)).sort()).toEqual([]);
  });
});
