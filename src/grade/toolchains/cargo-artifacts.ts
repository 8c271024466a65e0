/** The test executables cargo built for the named targets, from its JSON artifact messages. */
export function testExecutables(cargoJson: string, targets: string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of cargoJson.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const m = JSON.parse(line) as {
        reason?: string;
        target?: { name?: string; kind?: string[] };
        executable?: string | null;
      };
      const name = m.target?.name;
      if (
        m.reason === 'compiler-artifact' &&
        name &&
        targets.includes(name) &&
        m.target?.kind?.includes('test') &&
        m.executable
      )
        found.set(name, m.executable);
    } catch {
      // Not a message of cargo's: ignore.
    }
  }
  return found;
}
