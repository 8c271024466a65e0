import { existsSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** A custom agent declared under `agents:` in aibench.yml; used as `--models agent:<name>`. */
export const agentConfigSchema = z.strictObject({
  /** Run in the attempt's workspace; arguments naming files beside aibench.yml are resolved there. */
  command: z.array(z.string().min(1)).min(1),
  /** `provider/model` the agent calls: its upstream (and key) and the price its metered tokens are billed at. */
  model: z.string().regex(/^[a-z0-9][a-z0-9-]*\/.+$/, 'provider/model, e.g. anthropic/claude-sonnet-4-6'),
  /** Seconds per attempt before the agent's process group is killed (class `timeout`). */
  timeout: z.number().positive().max(7200).default(900),
  /** Extra folders (relative to aibench.yml) the agent may read in its sandbox, e.g. its node_modules. */
  readable: z.array(z.string().min(1)).default([]),
});
export type AgentConfig = z.infer<typeof agentConfigSchema>;

/** Resolves an agent's file arguments and readable folders against the config file's folder. */
export function resolveAgentPaths(agent: AgentConfig, dir: string): void {
  agent.command = agent.command.map((arg, i) => {
    const abs = path.resolve(dir, arg);
    return (i > 0 || arg.includes('/')) && !path.isAbsolute(arg) && existsSync(abs) ? abs : arg;
  });
  agent.readable = agent.readable.map((p) => path.resolve(dir, p));
}
