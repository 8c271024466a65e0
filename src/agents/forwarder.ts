import { writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Runs inside the sandbox's network namespace (loopback only): listens on 127.0.0.1:<port> and pipes
 * each connection to the metering proxy's unix socket, bound into the sandbox; then runs the agent and
 * exits with its status. The socket is the sandbox's one way out.
 */
const FORWARDER_SOURCE = `import net from 'node:net';
import { spawn } from 'node:child_process';
const [socket, port, cmd, ...args] = process.argv.slice(2);
const server = net.createServer((client) => {
  const upstream = net.connect(socket);
  client.pipe(upstream);
  upstream.pipe(client);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
});
server.listen(Number(port), '127.0.0.1', () => {
  const child = spawn(cmd, args, { stdio: 'inherit' });
  child.on('error', (e) => { process.stderr.write('aibench: cannot start agent: ' + e.message + '\\n'); process.exit(127); });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
});
`;

/** Writes the forwarder into `dir` (mounted read-only into the sandbox); returns its path. */
export function writeForwarder(dir: string): string {
  const file = path.join(dir, 'aibench-forward.mjs');
  writeFileSync(file, FORWARDER_SOURCE);
  return file;
}

/** The port the forwarder listens on inside the sandbox (its own network namespace: no clash). */
export const IN_SANDBOX_PORT = 48_111;
