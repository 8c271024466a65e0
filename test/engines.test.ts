/**
 * The Node versions the README and package.json promise are ones every installed runtime dependency
 * supports (npm would otherwise warn EBADENGINE on a supported Node, and a user reads that as broken).
 */
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  packages: Record<
    string,
    { version?: string; dev?: boolean; optional?: boolean; engines?: { node?: string } | string[] }
  >;
};

describe('engines', () => {
  it('the README states the same minimum Node version as package.json', () => {
    const min = semver.minVersion(pkg.engines.node)!.version;
    expect(readFileSync('README.md', 'utf8')).toContain(`Node.js ≥ ${min.replace(/\.0$/, '')}`);
  });

  it('every runtime dependency supports every Node version package.json promises', () => {
    const offending = Object.entries(lock.packages)
      .filter(([name, p]) => name && !p.dev && !Array.isArray(p.engines) && p.engines?.node)
      .filter(([, p]) => !semver.subset(pkg.engines.node, (p.engines as { node: string }).node))
      .map(([name, p]) => `${name}@${p.version} needs node ${(p.engines as { node: string }).node}`);
    expect(offending).toEqual([]);
  });

  it('the check is live: a dependency needing Node 22 is caught', () => {
    expect(semver.subset(pkg.engines.node, '>=22')).toBe(false);
  });
});
