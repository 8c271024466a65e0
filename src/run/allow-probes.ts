import type { FileMap } from '../tasks/files.js';
import type { Task } from '../tasks/loader.js';
import type { GradeResult } from '../grade/types.js';
import { tamperRuleIds } from '../grade/tamper.js';

/**
 * Proof that a task's tamper allow-list is minimal: for every rule the task does NOT lift, a copy of
 * the reference with one small probe using that capability appended must fail the scan with that rule
 * id. A table per toolchain and rule id (test/allow-probes.test.ts holds every Rust rule to a probe).
 */
export interface ToolchainProbes {
  /** The reference file a probe is appended to (an editable source file). */
  pickFile(reference: FileMap, task: Task): string | null;
  /** Rule id -> code appended at the end of that file (module level). */
  probes: Record<string, string>;
  /** The probed file's whole text, when a probe is not simply appended (Go: a file of its own). */
  compose?(existing: string | undefined, probe: string, reference: FileMap): string;
}

/** The package clause of a task's Go sources (all files of a folder share it). */
function goPackageOf(reference: FileMap): string {
  const go = [...reference.entries()].filter(([f]) => f.endsWith('.go') && !f.includes('/')).sort();
  return /^package\s+(\w+)/m.exec(go[0]?.[1] ?? '')?.[1] ?? 'main';
}

const RUST_PROBE_FN = '#[allow(dead_code)]\nfn __aibench_allow_probe()';
const PY_PROBE_FN = 'def _aibench_allow_probe():\n    ';

export const ALLOW_PROBES: Record<Task['suite']['toolchain'], ToolchainProbes> = {
  // Go imports must come first, so each probe is a file of its own in the task's package. Spelled the
  // way a tamperer would (aliases, dot imports), since the scan judges resolved names.
  go: {
    pickFile: () => 'aibench_allow_probe.go',
    compose: (_existing, probe, reference) => {
      // A build constraint must precede the package clause.
      const [head, body] = probe.startsWith('//go:build') ? probe.split('\n\n', 2) : ['', probe];
      return `${head ? `${head}\n\n` : ''}package ${goPackageOf(reference)}\n\n${body}\n`;
    },
    probes: {
      'process-exit': 'import quit "os"\n\nfunc aibenchProbe() { quit.Exit(0) }',
      'process-spawn': 'import "os/exec"\n\nvar aibenchProbe = exec.Command',
      // Aliased, not dot-imported: a dot import would clash with any task name `os` also exports.
      'env-access': 'import host "os"\n\nfunc aibenchProbe() string { return host.Getenv("HOME") }',
      'fs-access': 'import "os"\n\nfunc aibenchProbe() { _, _ = os.ReadFile("go.mod") }',
      network: 'import "net"\n\nfunc aibenchProbe() { _, _ = net.Dial("tcp", "127.0.0.1:9") }',
      'raw-output': 'import "fmt"\n\nfunc aibenchProbe() { fmt.Println("--- PASS: TestProbe (0.00s)") }',
      'test-framework': 'import "testing"\n\nfunc aibenchProbe(t *testing.T) { t.SkipNow() }',
      'flag-tamper': 'import "flag"\n\nfunc init() { _ = flag.Set("test.run", "^$") }',
      unsafe: 'import "unsafe"\n\nvar aibenchProbe = unsafe.Sizeof(0)',
      linkname: 'import _ "unsafe"\n\n//go:linkname aibenchProbe aibench.probe\nfunc aibenchProbe() {}',
      cgo: '/*\nint probe(void) { return 0; }\n*/\nimport "C"\n\nvar aibenchProbe = C.probe',
      'compile-time-include': 'import _ "embed"\n\n//go:embed go.mod\nvar aibenchProbe string',
      'build-constraints': '//go:build !aibench\n\n// the constraint is the probe\nvar aibenchProbe = 1',
      introspection: 'import "runtime"\n\nfunc aibenchProbe() { _, _, _, _ = runtime.Caller(1) }',
      syscall: 'import "syscall"\n\nvar aibenchProbe = syscall.Getpid',
    },
  },
  python: {
    pickFile(reference, task) {
      const py = [...reference.keys()].filter((f) => f.endsWith('.py') && task.isEditable(f)).sort();
      return py.find((f) => !f.endsWith('__init__.py')) ?? py[0] ?? null;
    },
    // Spelled through aliases and constant getattr, since the scan judges what names resolve to.
    // `unscannable` has no probe: it is the scan's own limit, not a capability.
    probes: {
      'process-exit': `${PY_PROBE_FN}import sys as _s\n    _s.exit(0)`,
      'process-spawn': `${PY_PROBE_FN}import subprocess as _sp\n    return _sp.run(["true"])`,
      'env-access': `${PY_PROBE_FN}import os as _o\n    return getattr(_o, "environ")`,
      'fs-access': `${PY_PROBE_FN}return open("probe").read()`,
      network: `${PY_PROBE_FN}from socket import create_connection as _c\n    return _c(("127.0.0.1", 9))`,
      atexit: `${PY_PROBE_FN}import atexit as _a\n    _a.register(print)`,
      monkeypatch: `${PY_PROBE_FN}import json as _j\n    _j.dumps = repr`,
      'dynamic-code': `${PY_PROBE_FN}return eval("1")`,
      introspection: `${PY_PROBE_FN}import sys as _s\n    return _s._getframe(0).f_back`,
      'module-table': `${PY_PROBE_FN}from sys import modules as _m\n    return _m`,
      'native-code': `${PY_PROBE_FN}import ctypes as _c\n    return _c`,
      'test-framework': `${PY_PROBE_FN}import pytest as _p\n    return _p`,
      'unlisted-module': `${PY_PROBE_FN}import sqlite3 as _q\n    return _q`,
    },
  },
  rust: {
    pickFile(reference, task) {
      const rs = [...reference.keys()].filter((f) => f.endsWith('.rs') && task.isEditable(f)).sort();
      return ['src/lib.rs', 'src/main.rs'].find((f) => rs.includes(f)) ?? rs[0] ?? null;
    },
    probes: {
      'process-exit': `${RUST_PROBE_FN} { std::process::exit(0) }`,
      'process-spawn': `${RUST_PROBE_FN} { let _ = std::process::Command::new("true").status(); }`,
      'env-access': `${RUST_PROBE_FN} -> Option<std::ffi::OsString> { std::env::var_os("HOME") }`,
      'fs-access': `${RUST_PROBE_FN} { let _ = std::fs::read("probe"); }`,
      network: `${RUST_PROBE_FN} { let _ = std::net::TcpStream::connect("127.0.0.1:9"); }`,
      'raw-output': `${RUST_PROBE_FN} { let _ = std::io::Write::write_all(&mut std::io::stdout(), b"probe"); }`,
      'linker-tricks': '#[no_mangle]\npub extern "C" fn __aibench_allow_probe() {}',
      'inline-asm': `${RUST_PROBE_FN} { unsafe { std::arch::asm!("nop") } }`,
      'compile-time-include': `#[allow(dead_code)]\nconst __AIBENCH_ALLOW_PROBE: &str = include_str!("../Cargo.toml");`,
    },
  },
  node: {
    pickFile(reference, task) {
      const scripts = [...reference.keys()]
        .filter((f) => /\.(tsx?|jsx?)$/.test(f) && task.isEditable(f))
        .sort();
      return scripts.find((f) => f.endsWith('.tsx')) ?? scripts[0] ?? null;
    },
    // Spelled the way a tamperer would (aliases, computed keys), since the scan judges resolved names.
    // `unscannable` has no probe: it is the scan's own limit (nesting too deep to walk), not a capability.
    probes: {
      'test-framework':
        "import { expect as __aibenchProbe } from 'vitest';\nexport const __aibenchProbe2 = __aibenchProbe;",
      'test-globals':
        "const __aibenchG = globalThis as unknown as Record<string, unknown>;\nexport const __aibenchProbe = __aibenchG['before' + 'Each'];",
      'process-control': 'export const __aibenchProbe = () => process.exit(0);',
      'env-access': "export const __aibenchProbe = () => process.env['HO' + 'ME'];",
      'node-builtins':
        "import * as __aibenchProbe from 'node:fs';\nexport const __aibenchProbe2 = __aibenchProbe;",
      inspector:
        "import { Session as __aibenchProbe } from 'node:inspector';\nexport const __aibenchProbe2 = __aibenchProbe;",
      'dynamic-code': "export const __aibenchProbe = () => (0, eval)('1');",
      'bundler-import': 'export const __aibenchProbe = import.meta.url;',
      'asymmetric-match': 'export const __aibenchProbe = { asymmetricMatch: () => true };',
      'prototype-tamper': 'Array.prototype.includes = () => true;',
    },
  },
};

export interface ProbeJob {
  subject: string;
  rule: string;
  files: FileMap;
}

/** Pure: one job per rule the task does not allow that has a probe (none when it allows `*`). */
export function allowProbeJobs(task: Task): ProbeJob[] {
  if (task.allow.includes('*')) return [];
  const table = ALLOW_PROBES[task.suite.toolchain];
  const file = table.pickFile(task.reference, task);
  if (!file) return [];
  return tamperRuleIds(task.suite.toolchain)
    .filter((rule) => !task.allow.includes(rule) && table.probes[rule])
    .map((rule) => {
      const files = new Map(task.reference);
      const probe = table.probes[rule]!;
      files.set(
        file,
        table.compose?.(files.get(file), probe, task.reference) ??
          `${files.get(file)!.trimEnd()}\n\n${probe}\n`,
      );
      return { subject: `probe:${rule}`, rule, files };
    });
}

/** Pure: did the probed reference fail the scan with exactly the rule it probes? */
export function probeVerdict(result: GradeResult, rule: string): { ok: boolean; detail: string } {
  const rules = result.suspect.map((s) => s.split(':')[0]);
  if (result.outcome === 'check' && rules.includes(rule))
    return { ok: true, detail: `the scan refuses it (${rule})` };
  return {
    ok: false,
    detail: `expected a ${rule} scan failure, got ${result.outcome}${rules.length ? ` (${rules.join(', ')})` : ''}: the rule is not enforced for this task`,
  };
}
