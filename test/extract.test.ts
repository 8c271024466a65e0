import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { extractFiles, safeRelativePath } from '../src/prompt/extract.js';
import { formatFiles } from '../src/prompt/format-files.js';

const rules = (globs: string[], knownFiles: string[] = [], singleEditable: string | null = null) => ({
  isEditable: picomatch(globs),
  knownFiles,
  singleEditable,
});

describe('extractFiles', () => {
  it('reads the path from the info string after the language', () => {
    const reply = 'Here you go:\n```tsx src/StatCard.tsx\nexport const A = 1;\n```\n';
    const { files, rejected } = extractFiles(reply, rules(['src/**']));
    expect([...files]).toEqual([['src/StatCard.tsx', 'export const A = 1;\n']]);
    expect(rejected).toEqual([]);
  });

  it.each([
    ['a bare path as info string', '```src/lib.rs\nfn a() {}\n```'],
    ['language:path', '```rust:src/lib.rs\nfn a() {}\n```'],
    ['file= attribute', '```rust file=src/lib.rs\nfn a() {}\n```'],
    ['title="…" attribute', '```rust title="src/lib.rs"\nfn a() {}\n```'],
    ['a path line before the fence', 'src/lib.rs\n```rust\nfn a() {}\n```'],
    ['a bold path before the fence', '**`src/lib.rs`**\n```rust\nfn a() {}\n```'],
    ['a heading before the fence', '### File: src/lib.rs\n```rust\nfn a() {}\n```'],
    ['a path comment on the first line', '```rust\n// src/lib.rs\nfn a() {}\n```'],
    ['a tilde fence', '~~~rust src/lib.rs\nfn a() {}\n~~~'],
  ])('accepts %s', (_name, reply) => {
    const { files } = extractFiles(reply, rules(['src/**/*.rs']));
    expect([...files.keys()]).toEqual(['src/lib.rs']);
    expect(files.get('src/lib.rs')).toContain('fn a() {}');
  });

  it('rejects traversal and absolute paths, and says why', () => {
    const reply =
      '```rust ../../etc/passwd\nx\n```\n```rust /etc/hosts\ny\n```\n```rust src/../../x.rs\nz\n```';
    const { files, rejected } = extractFiles(reply, rules(['**']));
    expect(files.size).toBe(0);
    expect(rejected.map((r) => r.reason)).toEqual(
      Array(3).fill('path escapes the repository (absolute or ..)'),
    );
  });

  it('rejects paths outside the editable globs (tests, manifests)', () => {
    const reply =
      '```rust src/lib.rs\nok\n```\n```toml Cargo.toml\n[package]\n```\n```rust tests/merge.rs\nfake\n```';
    const { files, rejected } = extractFiles(reply, rules(['src/**/*.rs']));
    expect([...files.keys()]).toEqual(['src/lib.rs']);
    expect(rejected).toEqual([
      { path: 'Cargo.toml', reason: 'not an editable file for this task' },
      { path: 'tests/merge.rs', reason: 'not an editable file for this task' },
    ]);
  });

  it('finds no file in prose or in unlabeled blocks when the task has several editable files', () => {
    expect(extractFiles('I cannot do that.', rules(['src/**'])).files.size).toBe(0);
    expect(
      extractFiles('```ts\nconst a = 1;\n```\n```ts\nconst b = 2;\n```', rules(['src/**'])).files.size,
    ).toBe(0);
  });

  it('takes a single unlabeled block as the single editable file', () => {
    const out = extractFiles('```rust\nfn a() {}\n```', rules(['src/lib.rs'], ['src/lib.rs'], 'src/lib.rs'));
    expect(out.inferred).toBe(true);
    expect([...out.files.keys()]).toEqual(['src/lib.rs']);
  });

  it('maps a bare file name to the one editable starter file of that name', () => {
    const out = extractFiles('```rust main.rs\nfn main() {}\n```', rules(['src/**/*.rs'], ['src/main.rs']));
    expect([...out.files.keys()]).toEqual(['src/main.rs']);
  });

  it('keeps inner fences of a longer outer fence inside the file', () => {
    const content = 'const md = `\n```js\nx\n```\n`;\n';
    const { files } = extractFiles(formatFiles(new Map([['src/a.ts', content]])), rules(['src/**']));
    expect(files.get('src/a.ts')).toBe(content);
  });

  it('lets a later block for the same path win (a model correcting itself)', () => {
    const { files } = extractFiles('```ts src/a.ts\nv1\n```\n```ts src/a.ts\nv2\n```', rules(['src/**']));
    expect(files.get('src/a.ts')).toBe('v2\n');
  });
});

describe('safeRelativePath', () => {
  it('normalises ./ and backslashes and refuses escapes', () => {
    expect(safeRelativePath('./src/a.ts')).toBe('src/a.ts');
    expect(safeRelativePath('src\\a.ts')).toBe('src/a.ts');
    expect(safeRelativePath('C:\\x')).toBeNull();
    expect(safeRelativePath('a/../../b')).toBeNull();
  });
});
