/** Target name -> executable of each artifact of the given kind in cargo's JSON messages. */
function executablesOfKind(cargoJson: string, kind: 'test' | 'bin'): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of cargoJson.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const m = JSON.parse(line) as {
        reason?: string;
        target?: { name?: string; kind?: string[] };
        profile?: { test?: boolean };
        executable?: string | null;
      };
      const name = m.target?.name;
      // A binary's own unit-test harness is kind `bin` too, built with the test profile: not the binary.
      const harness = kind === 'bin' && m.profile?.test;
      if (
        m.reason === 'compiler-artifact' &&
        name &&
        m.target?.kind?.includes(kind) &&
        m.executable &&
        !harness
      )
        found.set(name, m.executable);
    } catch {
      // Not a message of cargo's: ignore.
    }
  }
  return found;
}

/** The test executables cargo built for the named targets, from its JSON artifact messages. */
export function testExecutables(cargoJson: string, targets: string[]): Map<string, string> {
  return new Map([...executablesOfKind(cargoJson, 'test')].filter(([name]) => targets.includes(name)));
}

/** The binaries cargo built (name -> executable), from its JSON artifact messages. */
export function binaryExecutables(cargoJson: string): Map<string, string> {
  return executablesOfKind(cargoJson, 'bin');
}
