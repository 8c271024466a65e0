import { UsageError } from '../errors.js';
import type { ModelSpec } from './types.js';

/**
 * Parses `provider/model[@label]`, `agent:<name>`, `reference`, or `replay:<results.json>`.
 * OpenRouter models carry their own slash (`openrouter/anthropic/claude-sonnet-4.6`): the provider is the
 * first segment and the model the rest.
 */
export function parseModelSpec(raw: string): ModelSpec {
  const text = raw.trim();
  if (text === 'reference')
    return { raw: text, name: 'reference', provider: 'reference', model: 'reference' };
  if (text.startsWith('replay:')) {
    const file = text.slice('replay:'.length);
    if (!file) throw new UsageError('--models: replay needs a results file, e.g. replay:out/results.json');
    return { raw: text, name: text, provider: 'replay', model: file };
  }
  if (text.startsWith('agent:')) {
    const name = text.slice('agent:'.length);
    if (!/^[\w.-]+(\/[\w.:-]+)?$/.test(name))
      throw new UsageError(
        `--models: "${raw}" is not agent:<name> (an agent from aibench.yml, agent:claude-code/<model> or agent:codex/<model>)`,
      );
    return { raw: text, name: text, provider: 'agent', model: name };
  }
  const at = text.lastIndexOf('@');
  const body = at > 0 ? text.slice(0, at) : text;
  const label = at > 0 ? text.slice(at + 1) : undefined;
  const slash = body.indexOf('/');
  if (slash <= 0 || slash === body.length - 1) {
    throw new UsageError(
      `--models: "${raw}" is not provider/model (e.g. anthropic/claude-sonnet-4-6), reference or replay:<file>`,
    );
  }
  if (label !== undefined && !/^[\w.-]+$/.test(label)) {
    throw new UsageError(`--models: label "@${label}" in "${raw}" may use letters, digits, . _ - only`);
  }
  return {
    raw: text,
    name: label ?? body,
    provider: body.slice(0, slash),
    model: body.slice(slash + 1),
    ...(label ? { label } : {}),
  };
}

/** Splits a comma- or newline-separated list (as action inputs and CLI flags are written). */
export function splitList(value: string | undefined): string[] {
  return (value ?? '')
    .split(/[,\n]/)
    .map((s) => s.trim())
    .filter(Boolean);
}
