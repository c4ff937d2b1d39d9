import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Every import specifier of a source file: static, re-export, side-effect and dynamic. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm;

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((name) => /\.(?:ts|cts|mts|cjs|mjs|js)$/.test(name))
    .map((name) => join(folder, name));
}

/** The project-relative targets (`functions/check/policy/types.ts`) of a file's relative imports. */
function importedPaths(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  return [...text.matchAll(IMPORT)]
    .map((match) => match[1]!)
    .filter((specifier) => specifier.startsWith('.'))
    .map((specifier) => relative(ROOT, resolve(ROOT, dirname(file), specifier)).split(sep).join('/'));
}

/** `file -> target` for every import of a file under `from` that lands under one of `forbidden`. */
function violations(from: string, forbidden: readonly string[]): string[] {
  return sourceFiles(from).flatMap((file) =>
    importedPaths(file)
      .filter((target) => forbidden.some((folder) => target === folder || target.startsWith(`${folder}/`)))
      .map((target) => `${file.split(sep).join('/')} -> ${target}`),
  );
}

describe('import direction', () => {
  it('finds the imports it is meant to catch', () => {
    // Prepare: the checker itself, on a file known to import policy/ (so an empty result below means something)
    const targets = importedPaths('functions/check/run-check.ts');

    // Assess
    expect(targets.some((target) => target.startsWith('functions/check/policy/'))).toBe(true);
  });

  it('keeps docspace/ (the client and its data types) free of policy/ (the verdict)', () => {
    // Act
    const found = violations('functions/check/docspace', ['functions/check/policy']);

    // Assess
    expect(found).toEqual([]);
  });

  it('keeps the verdict (policy/) away from the client: it may use DocSpace data types only', () => {
    // Act
    const found = violations('functions/check/policy', [
      'functions/check/docspace/client.ts',
      'functions/check/docspace/undici.ts',
      'functions/check/docspace/origin-pools.ts',
      'functions/check/docspace/request-failures.ts',
    ]);

    // Assess
    expect(found).toEqual([]);
  });

  it('keeps run-time code (functions/) free of the CDK app (lib/) and of scripts and tests', () => {
    // Act
    const found = violations('functions', ['lib', 'scripts', 'test', 'bin']);

    // Assess
    expect(found).toEqual([]);
  });
});
