interface Span {
  file_name: string;
  line_start: number;
  column_start: number;
  is_primary: boolean;
}
interface Diagnostic {
  message: string;
  code?: { code: string } | null;
  level: string;
  spans: Span[];
  children: Diagnostic[];
  rendered?: string | null;
}

/**
 * Turns `cargo build --message-format=json` output into compiler feedback. Errors located in files the
 * model wrote are shown in full (rendered, with their source snippet); errors located elsewhere — the
 * hidden tests — are shown without any source line, so the feedback never reveals hidden-test code.
 */
export function cargoDiagnostics(stdout: string, isModelFile: (rel: string) => boolean): string[] {
  const out: string[] = [];
  // `--all-targets` compiles src/ twice (library and library-test targets): one error, one report.
  const seen = new Set<string>();
  const push = (text: string): void => {
    if (seen.has(text)) return;
    seen.add(text);
    out.push(text);
  };
  for (const line of stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    let msg: { reason?: string; message?: Diagnostic };
    try {
      msg = JSON.parse(line);
    } catch {
      continue;
    }
    const d = msg.message;
    if (msg.reason !== 'compiler-message' || !d || d.level !== 'error') continue;
    const primary = d.spans.find((s) => s.is_primary) ?? d.spans[0];
    if (!primary || isModelFile(primary.file_name)) {
      if (d.rendered) push(d.rendered.trimEnd());
      continue;
    }
    const code = d.code?.code ? `[${d.code.code}]` : '';
    const notes = d.children.filter((c) => c.message).map((c) => `  = ${c.level}: ${c.message}`);
    push(
      [
        `${primary.file_name}:${primary.line_start}:${primary.column_start}: error${code}: ${d.message}`,
        ...notes,
      ].join('\n'),
    );
  }
  return out;
}
