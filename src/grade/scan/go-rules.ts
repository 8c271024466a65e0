import type { TamperHit } from '../tamper.js';

/** One identifier as go/types resolved it (see go-scanner-source.ts). */
export interface GoUse {
  File: string;
  Line: number;
  /** Import path of the object's package; '' for a builtin. */
  Pkg: string;
  /** `Exit`, or `Type.Method` for a method (pointer receivers shown as the type). */
  Name: string;
  Kind: string;
  /** Inside `func main` of package main. */
  InMain: boolean;
  /** Anywhere in package main. */
  MainPkg: boolean;
}

export interface GoMark {
  File: string;
  Line: number;
  Text: string;
  MainPkg: boolean;
}

/** The scanner's whole output for one submission. */
export interface GoScanOutput {
  Uses: GoUse[];
  Imports: GoMark[];
  Directives: GoMark[];
  Constraints: GoMark[];
  /** Named types of other packages (`sync.Mutex`, `sync/atomic.Int64`) or `chan`, carried by a declaration or expression. */
  Types: GoMark[];
  /** C, assembly and object files the go command would build or link. */
  Foreign: GoMark[];
  /** Parse and type errors: code go/types cannot resolve cannot be judged. */
  Errors: string[];
}

interface GoRule {
  id: string;
  message: string;
  /** A use of a resolved name, as `pkg.Name`. */
  use?: (q: string, u: GoUse) => boolean;
  /** Any import of a package (blank, dot and aliased imports included). */
  importPath?: RegExp;
  directive?: RegExp;
}

const FLAG_SET_API =
  /^flag\.(?:NewFlagSet|FlagSet(?:\.\w+)?|ErrorHandling|ContinueOnError|ExitOnError|PanicOnError|ErrHelp|Value(?:\.\w+)?|Getter(?:\.\w+)?|Flag(?:\.\w+)?)$/;

/**
 * The Go tamper rules, over names after resolution: an alias (`o "os"`), a dot import, a type alias or a
 * promoted method all arrive here as the package path and name the compiler bound. Comments and strings
 * are not names and never trigger; directives (`//go:linkname`) are read by the scanner from the AST.
 * A CLI's own business stays allowed where it belongs, inside `func main` of package main: exiting, the
 * standard streams, the command line and the process-wide flags (main hands them to testable code).
 */
export const GO_RULES: GoRule[] = [
  {
    id: 'process-exit',
    message: 'exits the process or the goroutine outside func main',
    use: (q, u) =>
      q === 'runtime.Goexit' ||
      (!u.InMain && /^(?:os\.Exit|syscall\.Exit|log\.(?:Logger\.)?Fatal(?:f|ln)?)$/.test(q)),
  },
  {
    id: 'process-spawn',
    message: 'spawns or signals processes',
    importPath: /^(?:os\/exec|os\/signal|plugin)$/,
    use: (q) =>
      /^(?:os\.(?:StartProcess|FindProcess|Process(?:\.\w+)?|ProcAttr)|syscall\.(?:ForkExec|Exec|StartProcess|Kill))$/.test(
        q,
      ),
  },
  {
    id: 'env-access',
    message: 'reads or changes environment variables or the process context',
    importPath: /^os\/user$/,
    use: (q, u) =>
      /^os\.(?:Getenv|LookupEnv|Environ|Setenv|Unsetenv|Clearenv|ExpandEnv|Getwd|Chdir|Executable|Hostname|UserHomeDir|UserCacheDir|UserConfigDir|TempDir)$/.test(
        q,
      ) ||
      /^syscall\.(?:Getenv|Setenv|Unsetenv|Clearenv|Environ)$/.test(q) ||
      (q === 'os.Args' && !u.InMain),
  },
  {
    id: 'fs-access',
    message: 'uses the file system',
    importPath: /^io\/ioutil$/,
    use: (q) =>
      /^os\.(?:Open|OpenFile|Create|ReadFile|WriteFile|ReadDir|Stat|Lstat|Remove|RemoveAll|Rename|Mkdir|MkdirAll|MkdirTemp|CreateTemp|Chmod|Chown|Lchown|Chtimes|Link|Symlink|Readlink|Truncate|DirFS|NewFile|Pipe|CopyFS)$/.test(
        q,
      ) || /^path\/filepath\.(?:Walk|WalkDir|Glob|EvalSymlinks|Abs)$/.test(q),
  },
  {
    id: 'network',
    message: 'uses the network',
    importPath: /^(?:net|net\/http(?:\/.*)?|net\/rpc(?:\/.*)?|net\/smtp|net\/textproto|crypto\/tls)$/,
  },
  {
    id: 'raw-output',
    message:
      'uses the standard streams outside func main (the test output is parsed; write to the writers you are given)',
    use: (q, u) =>
      !u.InMain &&
      (/^os\.(?:Stdout|Stderr|Stdin)$/.test(q) ||
        /^fmt\.(?:Print|Printf|Println|Scan|Scanf|Scanln)$/.test(q) ||
        /^\.(?:print|println)$/.test(q) ||
        /^log\.(?:Print|Printf|Println|Panic|Panicf|Panicln|Output|SetOutput|Writer|Default|SetFlags|SetPrefix)$/.test(
          q,
        ) ||
        /^syscall\.(?:Write|Read)$/.test(q)),
  },
  {
    id: 'test-framework',
    message: 'uses the testing package outside a test file',
    importPath: /^testing(?:\/.*)?$/,
  },
  {
    id: 'flag-tamper',
    message: "touches the process-wide flags (the test binary's own) outside func main",
    // A field (`f.Name` of a *flag.Flag handed over by FlagSet.Visit) is data, not the process-wide set.
    use: (q, u) => !u.InMain && u.Kind !== 'field' && q.startsWith('flag.') && !FLAG_SET_API.test(q),
  },
  {
    id: 'unsafe',
    message: 'uses unsafe memory access',
    importPath: /^unsafe$/,
    use: (q) =>
      /^reflect\.(?:NewAt|SliceHeader|StringHeader|Value\.(?:UnsafeAddr|UnsafePointer|Pointer|SetPointer))$/.test(
        q,
      ),
  },
  {
    id: 'linkname',
    message: 'uses compiler or linker directives (//go:linkname, //export, cgo directives)',
    directive:
      /^\/\/(?:go:linkname|go:cgo_|export\s|go:nosplit|go:noescape|go:uintptrescapes|go:systemstack|go:nowritebarrier)/,
  },
  {
    id: 'cgo',
    message: 'uses cgo, assembly or foreign object files',
    importPath: /^(?:C|runtime\/cgo)$/,
  },
  {
    id: 'compile-time-include',
    message: 'embeds files at compile time',
    importPath: /^embed$/,
    directive: /^\/\/go:embed\b/,
  },
  {
    id: 'build-constraints',
    message: 'has build constraints (a file built only in some builds, e.g. under -race)',
  },
  {
    id: 'introspection',
    message: "inspects the call stack or the test binary (who is calling is not the code's business)",
    importPath: /^runtime\/(?:pprof|trace)$/,
    use: (q) =>
      /^runtime\.(?:Caller|Callers|CallersFrames|FuncForPC|Stack|Breakpoint|Frames(?:\.\w+)?|Func(?:\.\w+)?)$/.test(
        q,
      ) || /^runtime\/debug\.(?:Stack|PrintStack|ReadBuildInfo|SetTraceback|SetPanicOnFault)$/.test(q),
  },
  {
    id: 'syscall',
    message: 'makes system calls directly',
    importPath: /^(?:syscall|golang\.org\/x\/sys\/.*)$/,
  },
  { id: 'unscannable', message: 'cannot be type-checked by the scan (write plain Go that go/types accepts)' },
];

/** `pkg.Name` as the rules read it: a builtin is `.println`. */
function qualified(u: GoUse): string {
  return `${u.Pkg}.${u.Name}`;
}

/**
 * Pure: the rules the scanned submission breaks that the task does not allow (`*` allows every rule);
 * one hit per rule is enough evidence.
 */
export function goScanHits(out: GoScanOutput, allow: string[]): TamperHit[] {
  const allowed = (id: string): boolean => allow.includes('*') || allow.includes(id);
  const hits: TamperHit[] = [];
  const hit = (rule: GoRule, file: string, line: number, excerpt: string): void => {
    if (!hits.some((h) => h.rule === rule.id))
      hits.push({ rule: rule.id, message: rule.message, file, line, excerpt: excerpt.slice(0, 160) });
  };
  for (const rule of GO_RULES) {
    if (allowed(rule.id)) continue;
    if (rule.id === 'build-constraints') {
      const c = out.Constraints[0];
      if (c) hit(rule, c.File, c.Line, c.Text);
      continue;
    }
    if (rule.id === 'unscannable') {
      if (out.Errors.length) hit(rule, 'go/types', 0, out.Errors[0]!);
      continue;
    }
    if (rule.id === 'cgo') {
      const f = out.Foreign[0];
      if (f) hit(rule, f.File, 0, f.Text);
    }
    const imp = rule.importPath ? out.Imports.find((i) => rule.importPath!.test(i.Text)) : undefined;
    if (imp) hit(rule, imp.File, imp.Line, `import "${imp.Text}"`);
    const use = rule.use ? out.Uses.find((u) => rule.use!(qualified(u), u)) : undefined;
    if (use) hit(rule, use.File, use.Line, qualified(use));
    const dir = rule.directive ? out.Directives.find((d) => rule.directive!.test(d.Text)) : undefined;
    if (dir) hit(rule, dir.File, dir.Line, dir.Text);
  }
  return hits;
}

/**
 * Pure: the first place the submission carries a type a `go-forbid` check names (`sync.Mutex`,
 * `sync/atomic.Value`, or `chan` for any channel), judged on resolved types: an alias, an embedded
 * field or a value whose type is inferred all count.
 */
export function forbiddenGoType(out: GoScanOutput, types: string[]): GoMark | null {
  const wanted = new Set(types);
  return out.Types.find((t) => wanted.has(t.Text)) ?? null;
}

/** Parses the scanner's stdout; null when it is not the scanner's JSON (the host's fault, never a pass). */
export function parseGoScan(stdout: string): GoScanOutput | null {
  try {
    const o = JSON.parse(stdout) as Partial<GoScanOutput>;
    const lists = ['Uses', 'Imports', 'Directives', 'Constraints', 'Types', 'Foreign', 'Errors'] as const;
    if (!lists.every((k) => Array.isArray(o[k]))) return null;
    return o as GoScanOutput;
  } catch {
    return null;
  }
}
