// The Python tamper scanner, run by the harness's own interpreter inside the sandbox (see py-scan.ts).
// Kept as Python source in a string so the bundle carries it: `python -I -S -c <PY_SCANNER> …`.
// prettier-ignore
export const PY_SCANNER = String.raw`
"""The Python tamper scan: judges what each name of a submission resolves to, never how it is spelled.

Run by the harness's own interpreter inside the sandbox, on the submitted files only: it parses them
(ast), resolves every name through the compiler's own scopes (symtable) to the import or builtin it
binds, and follows attribute chains on the real standard-library objects (the scanner imports only the
allowed stdlib modules, never a submission's code). Nothing of the submission is executed. Comments
and strings never count: they are not names.

argv: a JSON config ({"own": [top-level package names of the submission]}) then the files to scan.
Prints one JSON object per line: {"kind": "syntax", ...} for a file that does not compile, or
{"kind": "hit", "rule", "file", "line", "detail"} per finding.
"""

import ast
import builtins
import importlib
import json
import operator
import string
import symtable
import sys

# Stdlib modules a submission may import (and their submodules, unless denied below).
ALLOWED = {
    "__future__", "abc", "argparse", "array", "asyncio", "base64", "binascii", "bisect", "calendar",
    "codecs", "collections", "concurrent", "contextlib", "contextvars", "copy", "csv", "dataclasses",
    "datetime", "decimal", "difflib", "enum", "errno", "fractions", "functools", "hashlib", "heapq",
    "hmac", "html", "io", "itertools", "json", "locale", "math", "numbers", "operator", "os", "queue",
    "random", "re", "sched", "secrets", "shlex", "statistics", "string", "struct", "sys", "textwrap",
    "threading", "time", "types", "typing", "unicodedata", "uuid", "warnings", "weakref", "zlib",
    "posixpath", "genericpath", "stat", "sre_constants", "sre_compile", "sre_parse", "keyword",
}

# Modules refused whatever they are reached through (prefix match on the canonical name).
DENIED = {
    "subprocess": "process-spawn", "multiprocessing": "process-spawn", "asyncio.subprocess": "process-spawn",
    "concurrent.futures.process": "process-spawn", "pty": "process-spawn", "_posixsubprocess": "process-spawn",
    "asyncio.unix_events": "process-spawn", "asyncio.base_subprocess": "process-spawn",
    "signal": "process-exit", "atexit": "atexit", "builtins": "monkeypatch",
    "socket": "network", "_socket": "network", "ssl": "network", "http": "network", "urllib": "network",
    "asyncio.streams": "network", "selectors": "network", "select": "network",
    "ctypes": "native-code", "_ctypes": "native-code", "cffi": "native-code", "mmap": "native-code",
    "importlib": "dynamic-code", "runpy": "dynamic-code", "code": "dynamic-code", "codeop": "dynamic-code",
    "marshal": "dynamic-code", "pickle": "dynamic-code", "zipimport": "dynamic-code",
    "inspect": "introspection", "gc": "introspection", "traceback": "introspection",
    "faulthandler": "introspection", "tracemalloc": "introspection", "dis": "introspection",
    "pytest": "test-framework", "_pytest": "test-framework", "pluggy": "test-framework",
    "unittest": "test-framework", "doctest": "test-framework", "py": "test-framework",
    "pathlib": "fs-access", "shutil": "fs-access", "tempfile": "fs-access", "glob": "fs-access",
    "fileinput": "fs-access", "posix": "fs-access", "_io": "fs-access", "nt": "fs-access",
}

# Attributes of the partly allowed modules a submission may use; any other is refused with the
# rule of the forbidden-object table below, else with the module's default rule.
MODULE_ATTRS = {
    "os": ({"path", "sep", "linesep", "pathsep", "curdir", "pardir", "extsep", "altsep", "fspath",
            "fsencode", "fsdecode", "PathLike", "strerror", "name", "cpu_count", "SEEK_SET", "SEEK_CUR",
            "SEEK_END"}, "fs-access"),
    "posixpath": ({"join", "split", "splitext", "basename", "dirname", "normpath", "normcase", "isabs",
                   "commonpath", "commonprefix", "sep", "extsep", "pardir", "curdir"}, "fs-access"),
    "sys": ({"argv", "stdin", "stdout", "stderr", "maxsize", "byteorder", "version_info", "version",
             "hexversion", "float_info", "int_info", "hash_info", "getsizeof", "getrecursionlimit",
             "setrecursionlimit", "intern", "platform", "maxunicode", "getdefaultencoding",
             "getfilesystemencoding", "exc_info", "exception", "get_int_max_str_digits",
             "set_int_max_str_digits", "float_repr_style"}, "introspection"),
    "io": ({"StringIO", "BytesIO", "TextIOWrapper", "BufferedReader", "BufferedWriter", "BufferedRWPair",
            "IOBase", "RawIOBase", "BufferedIOBase", "TextIOBase", "UnsupportedOperation",
            "IncrementalNewlineDecoder", "DEFAULT_BUFFER_SIZE", "SEEK_SET", "SEEK_CUR", "SEEK_END",
            "text_encoding"}, "fs-access"),
}

# Objects refused wherever they are reached from (dotted paths resolved here, compared by identity).
FORBIDDEN = {
    "process-exit": ["sys.exit", "os._exit", "os.abort", "os.kill", "os.killpg", "builtins.exit",
                     "builtins.quit", "builtins.SystemExit", "threading.interrupt_main"],
    "env-access": ["os.environ", "os.environb", "os.getenv", "os.getenvb", "os.putenv", "os.unsetenv",
                   "posixpath.expanduser", "posixpath.expandvars"],
    "fs-access": ["builtins.open", "io.open", "io.open_code", "io.FileIO", "codecs.open"],
    "process-spawn": ["os.system", "os.popen", "os.fork", "os.forkpty", "os.execv", "os.execve",
                      "os.execl", "os.execle", "os.execlp", "os.execlpe", "os.execvp", "os.execvpe",
                      "os.spawnl", "os.spawnle", "os.spawnlp", "os.spawnlpe", "os.spawnv", "os.spawnve",
                      "os.spawnvp", "os.spawnvpe", "os.posix_spawn", "os.posix_spawnp",
                      "asyncio.create_subprocess_exec", "asyncio.create_subprocess_shell",
                      "concurrent.futures.ProcessPoolExecutor"],
    "network": ["asyncio.open_connection", "asyncio.start_server", "asyncio.open_unix_connection",
                "asyncio.start_unix_server"],
    "dynamic-code": ["builtins.exec", "builtins.eval", "builtins.compile", "builtins.__import__",
                     "builtins.globals", "builtins.locals", "builtins.vars", "types.FunctionType",
                     "types.CodeType"],
    "introspection": ["builtins.breakpoint", "threading.settrace", "threading.setprofile",
                      "threading.settrace_all_threads", "threading.setprofile_all_threads"],
    "module-table": ["sys.modules", "sys.meta_path", "sys.path", "sys.path_hooks",
                     "sys.path_importer_cache"],
}

# Attribute names refused on any object, known or not: the ways from a plain value to frames, globals,
# builtins, code objects or every class of the interpreter; and event-loop methods that spawn or connect.
ANY_ATTRS = {
    "f_back": "introspection", "f_globals": "introspection", "f_locals": "introspection",
    "f_builtins": "introspection", "f_code": "introspection", "tb_frame": "introspection",
    "gi_frame": "introspection", "cr_frame": "introspection", "ag_frame": "introspection",
    "gi_code": "introspection", "cr_code": "introspection", "_getframe": "introspection",
    "__globals__": "introspection", "__code__": "dynamic-code", "__closure__": "introspection",
    "__subclasses__": "introspection", "__builtins__": "monkeypatch", "__self__": "introspection",
    "__getattribute__": "dynamic-code", "__import__": "dynamic-code", "__loader__": "dynamic-code",
    "__spec__": "dynamic-code", "_exit": "process-exit", "environ": "env-access", "getenv": "env-access",
    "subprocess_exec": "process-spawn", "subprocess_shell": "process-spawn",
    "create_connection": "network", "create_server": "network", "create_unix_connection": "network",
    "create_unix_server": "network", "create_datagram_endpoint": "network", "sock_connect": "network",
    "sock_accept": "network", "connect_read_pipe": "process-spawn", "connect_write_pipe": "process-spawn",
    "add_signal_handler": "process-exit",
}

def _resolve_path(dotted):
    mod, _, attr = dotted.rpartition(".")
    try:
        return getattr(importlib.import_module(mod), attr)
    except Exception:  # noqa: BLE001 - an attribute this Python version lacks
        return None


FORBIDDEN_IDS = {}
for _rule, _paths in FORBIDDEN.items():
    for _p in _paths:
        _obj = _resolve_path(_p)
        if _obj is not None:
            FORBIDDEN_IDS[id(_obj)] = (_rule, _p)
_KEEP_ALIVE = [_resolve_path(p) for ps in FORBIDDEN.values() for p in ps]

MODULE_TYPE = type(sys)


def denied_rule(name):
    parts = name.split(".")
    for i in range(len(parts), 0, -1):
        rule = DENIED.get(".".join(parts[:i]))
        if rule:
            return rule
    if parts[0] not in ALLOWED:
        return "unlisted-module"
    return None


class Mod:
    def __init__(self, module):
        self.module = module


class Obj:
    def __init__(self, obj, label):
        self.obj = obj
        self.label = label


class Own:
    pass


OWN = Own()


class Scan(ast.NodeVisitor):
    def __init__(self, file, source, own):
        self.file = file
        self.lines = source.splitlines()
        self.own = own
        self.hits = []
        self.bindings = {}  # table id -> {name: [meaning]}
        self.stars = []  # modules star-imported at module level
        self.tables = []
        self.parents = {}
        self.collecting = True
        self.consumed = set()

    # --- findings ---------------------------------------------------------------------------
    def hit(self, rule, node, detail):
        if self.collecting:
            return
        line = getattr(node, "lineno", 0)
        key = (rule, line)
        if key in self.consumed:
            return
        self.consumed.add(key)
        self.hits.append({"kind": "hit", "rule": rule, "file": self.file, "line": line, "detail": detail})

    # --- scopes -----------------------------------------------------------------------------
    def run(self, tree, top):
        self.top = top
        self._index(top, None)
        for collecting in (True, False):
            self.collecting = collecting
            self.taken = set()
            self.tables = [top]
            self.visit(tree)

    def _index(self, table, parent):
        self.parents[table.get_id()] = parent
        self.bindings.setdefault(table.get_id(), {})
        for child in table.get_children():
            self._index(child, table)

    def _enter(self, node, name):
        current = self.tables[-1]
        lineno = getattr(node, "lineno", None)
        candidates = [c for c in current.get_children() if c.get_name() == name and c.get_id() not in self.taken]
        exact = [c for c in candidates if c.get_lineno() == lineno]
        child = (exact or candidates or [None])[0]
        if child is None:
            return False
        self.taken.add(child.get_id())
        self.tables.append(child)
        return True

    def _scoped(self, node, name, body):
        # Decorators, defaults, bases and annotations are evaluated in the enclosing scope.
        entered = self._enter(node, name)
        try:
            body()
        finally:
            if entered:
                self.tables.pop()

    def bind(self, name, meaning):
        if self.collecting and meaning is not None:
            self.bindings[self.tables[-1].get_id()].setdefault(name, []).append(meaning)

    def lookup(self, name):
        table = self.tables[-1]
        try:
            sym = table.lookup(name)
        except KeyError:
            sym = None
        if sym is not None and (sym.is_global() or sym.is_declared_global()):
            return self._global(name)
        if sym is not None and sym.is_free():
            t = self.parents.get(table.get_id())
            while t is not None:
                try:
                    s = t.lookup(name)
                    if t.get_type() == "function" and s.is_local():
                        return self.bindings[t.get_id()].get(name, [None])
                except KeyError:
                    pass
                t = self.parents.get(t.get_id())
            return [None]
        if sym is not None and sym.is_local() and table.get_type() != "module":
            return self.bindings[table.get_id()].get(name, [None])
        return self._global(name)

    def _global(self, name):
        top = self.top
        found = self.bindings[top.get_id()].get(name)
        if found:
            return found
        try:
            assigned = top.lookup(name).is_local()
        except KeyError:
            assigned = False
        if assigned:
            return [None]
        for mod in self.stars:
            names = getattr(mod, "__all__", None) or [n for n in vars(mod) if not n.startswith("_")]
            if name in names:
                return [self.attr_of(Mod(mod), name, None)]
        if name == "__builtins__":
            return [Obj(builtins, "__builtins__")]
        if hasattr(builtins, name):
            return [Obj(getattr(builtins, name), name)]
        return [None]

    # --- meanings ---------------------------------------------------------------------------
    def import_module(self, name, node):
        rule = denied_rule(name)
        if rule:
            self.hit(rule, node, f"imports {name}")
            return None
        try:
            return Mod(importlib.import_module(name))
        except Exception:  # noqa: BLE001 - not a module on this Python: unknown
            return None

    def judge_object(self, meaning, node):
        if isinstance(meaning, Obj):
            found = FORBIDDEN_IDS.get(id(meaning.obj))
            if found:
                self.hit(found[0], node, f"uses {found[1]}")
            elif meaning.obj is builtins:
                self.hit("monkeypatch", node, "uses the builtins module")
        if isinstance(meaning, Mod):
            rule = denied_rule(meaning.module.__name__)
            if rule:
                self.hit(rule, node, f"reaches the module {meaning.module.__name__}")

    def attr_of(self, base, attr, node):
        if attr in ANY_ATTRS and node is not None:
            self.hit(ANY_ATTRS[attr], node, f"uses the attribute {attr}")
        if isinstance(base, Mod):
            name = base.module.__name__
            policy = MODULE_ATTRS.get(name)
            try:
                value = getattr(base.module, attr)
            except Exception:  # noqa: BLE001
                value = None
            label = f"{name}.{attr}"
            if value is not None and id(value) in FORBIDDEN_IDS:
                if node is not None:
                    self.hit(FORBIDDEN_IDS[id(value)][0], node, f"uses {label}")
                return None
            if policy and attr not in policy[0]:
                if node is not None:
                    self.hit(policy[1], node, f"uses {label}")
                return None
            if attr.startswith("_") and not (attr.startswith("__") and attr in ("__name__", "__doc__", "__version__")):
                if node is not None:
                    self.hit("introspection", node, f"reaches the private {label}")
                return None
            if isinstance(value, MODULE_TYPE):
                meaning = Mod(value)
                if node is not None:
                    self.judge_object(meaning, node)
                return meaning
            return Obj(value, label) if value is not None else None
        if isinstance(base, Obj) and isinstance(base.obj, type):
            for klass in base.obj.__mro__:
                if attr in vars(klass):
                    value = vars(klass)[attr]
                    meaning = Obj(value, f"{base.label}.{attr}")
                    if node is not None:
                        self.judge_object(meaning, node)
                    return meaning
        return None

    def meaning(self, node, as_base=False):
        """The meanings of an expression (None: unknown), judging every name and attribute on the way."""
        if isinstance(node, ast.Name):
            meanings = self.lookup(node.id)
            for m in meanings:
                self.judge_object(m, node)
                if isinstance(m, Mod) and not as_base and not isinstance(node.ctx, ast.Store):
                    self.hit("dynamic-code", node, f"uses the module {m.module.__name__} as a value")
            return meanings
        if isinstance(node, ast.Attribute):
            bases = self.meaning(node.value, as_base=True)
            out = []
            for b in bases:
                if isinstance(node.ctx, (ast.Store, ast.Del)) and isinstance(b, (Mod, Obj)):
                    self.hit("monkeypatch", node, f"assigns to {node.attr} of a library object")
                m = self.attr_of(b, node.attr, node)
                if isinstance(m, Mod) and not as_base:
                    self.hit("dynamic-code", node, f"uses the module {m.module.__name__} as a value")
                out.append(m)
            return out
        self.visit(node)
        return [None]

    # --- visitors ---------------------------------------------------------------------------
    def visit_Name(self, node):
        if isinstance(node.ctx, ast.Load):
            self.meaning(node)

    def visit_Attribute(self, node):
        self.meaning(node)

    def visit_Import(self, node):
        for alias in node.names:
            top = alias.name.split(".")[0]
            if top in self.own:
                self.bind(alias.asname or top, OWN)
                continue
            m = self.import_module(alias.name, node)
            if alias.asname:
                self.bind(alias.asname, m)
            else:
                self.bind(top, self.import_module(top, node) if m else None)

    def visit_ImportFrom(self, node):
        if node.level or (node.module or "").split(".")[0] in self.own:
            for alias in node.names:
                self.bind(alias.asname or alias.name, OWN)
            return
        base = self.import_module(node.module, node)
        for alias in node.names:
            if alias.name == "*":
                if isinstance(base, Mod):
                    if self.collecting:
                        self.stars.append(base.module)
                    policy = MODULE_ATTRS.get(base.module.__name__)
                    if policy:
                        self.hit(policy[1], node, f"star-imports {base.module.__name__}")
                continue
            sub = None
            if isinstance(base, Mod):
                sub = self.attr_of(base, alias.name, node)
                if sub is None and not hasattr(base.module, alias.name):
                    sub = self.import_module(f"{node.module}.{alias.name}", node)
            self.bind(alias.asname or alias.name, sub)

    def visit_Assign(self, node):
        value = self.meaning(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name) and len(node.targets) == 1:
                for v in value:
                    if isinstance(v, Obj):
                        self.bind(target.id, v)
            self.visit(target)

    def visit_Call(self, node):
        func = self.meaning(node.func, as_base=False)
        names = {m.obj for m in func if isinstance(m, Obj)}
        accessors = {getattr, setattr, delattr, hasattr}
        if names & accessors and node.args:
            obj_node = node.args[0]
            key = node.args[1] if len(node.args) > 1 else None
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                fake = ast.Attribute(value=obj_node, attr=key.value,
                                     ctx=ast.Store() if names & {setattr, delattr} else ast.Load())
                ast.copy_location(fake, node)
                self.meaning(fake, as_base=True)
                rest = node.args[2:]
            else:
                if not names <= {hasattr}:
                    self.hit("dynamic-code", node, "looks up an attribute by a computed name")
                self.meaning(obj_node, as_base=True)
                rest = node.args[1:]
            for a in rest:
                self.visit(a)
            for k in node.keywords:
                self.visit(k.value)
            return
        if names & {operator.attrgetter, operator.methodcaller}:
            for a in node.args[:1] if operator.methodcaller in names else node.args:
                if isinstance(a, ast.Constant) and isinstance(a.value, str):
                    for part in a.value.split("."):
                        if part in ANY_ATTRS or part.startswith("_"):
                            self.hit(ANY_ATTRS.get(part, "introspection"), node, f"looks up the attribute {part}")
                else:
                    self.hit("dynamic-code", node, "looks up an attribute by a computed name")
        if (isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "format_map")
                and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)):
            self.check_format(node.func.value.value, node)
        for a in node.args:
            self.visit(a)
        for k in node.keywords:
            self.visit(k.value)

    def check_format(self, template, node):
        # A format string's fields are attribute lookups run by str.format: '{0.__globals__}'.
        try:
            fields = [f for _, f, _, _ in string.Formatter().parse(template) if f]
        except ValueError:
            return
        for field in fields:
            for part in field.replace("[", ".").split("."):
                if part.startswith("_") or part in ANY_ATTRS:
                    self.hit(ANY_ATTRS.get(part, "introspection"), node, f"a format field reaches {part}")

    def _function(self, node, name):
        for d in getattr(node, "decorator_list", []):
            self.visit(d)
        args = node.args
        for default in [*args.defaults, *[d for d in args.kw_defaults if d is not None]]:
            self.visit(default)
        for a in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
            if a is not None and a.annotation is not None:
                self.visit(a.annotation)
        if getattr(node, "returns", None) is not None:
            self.visit(node.returns)
        body = node.body if isinstance(node.body, list) else [node.body]
        self._scoped(node, name, lambda: [self.visit(s) for s in body])

    def visit_FunctionDef(self, node):
        self._function(node, node.name)

    def visit_AsyncFunctionDef(self, node):
        self._function(node, node.name)

    def visit_Lambda(self, node):
        self._function(node, "lambda")

    def visit_ClassDef(self, node):
        for d in [*node.decorator_list, *node.bases, *[k.value for k in node.keywords]]:
            self.visit(d)
        self._scoped(node, node.name, lambda: [self.visit(s) for s in node.body])

    def _comprehension(self, node, name, elements):
        # The first iterable is evaluated in the enclosing scope; the rest inside the comprehension's.
        self.visit(node.generators[0].iter)

        def inner():
            for i, gen in enumerate(node.generators):
                self.visit(gen.target)
                if i:
                    self.visit(gen.iter)
                for cond in gen.ifs:
                    self.visit(cond)
            for e in elements:
                self.visit(e)

        self._scoped(node, name, inner)

    def visit_ListComp(self, node):
        self._comprehension(node, "listcomp", [node.elt])

    def visit_SetComp(self, node):
        self._comprehension(node, "setcomp", [node.elt])

    def visit_GeneratorExp(self, node):
        self._comprehension(node, "genexpr", [node.elt])

    def visit_DictComp(self, node):
        self._comprehension(node, "dictcomp", [node.key, node.value])


def scan_file(path, rel, own):
    with open(path, "rb") as f:
        data = f.read()
    try:
        source = data.decode("utf-8")
        tree = ast.parse(source, filename=rel)
        top = symtable.symtable(source, rel, "exec")
        compile(tree, rel, "exec", dont_inherit=True)
    except SyntaxError as err:
        return [{"kind": "syntax", "file": rel, "line": err.lineno or 0, "message": f"{type(err).__name__}: {err.msg}"}]
    except UnicodeDecodeError as err:
        return [{"kind": "syntax", "file": rel, "line": 0, "message": f"not UTF-8: {err.reason}"}]
    except (RecursionError, MemoryError, ValueError) as err:
        return [{"kind": "hit", "rule": "unscannable", "file": rel, "line": 0, "detail": f"cannot be analysed ({type(err).__name__})"}]
    hits = []
    base = rel.rsplit("/", 1)[-1]
    if base == "conftest.py" or base.startswith("test_") or base.endswith("_test.py"):
        hits.append({"kind": "hit", "rule": "test-framework", "file": rel, "line": 0, "detail": f"adds a pytest file ({base})"})
    scan = Scan(rel, source, own)
    try:
        scan.run(tree, top)
    except RecursionError:
        return [{"kind": "hit", "rule": "unscannable", "file": rel, "line": 0, "detail": "nested too deeply to analyse"}]
    for h in scan.hits:
        line = h["line"]
        h["excerpt"] = scan.lines[line - 1].strip()[:160] if 0 < line <= len(scan.lines) else ""
    return hits + scan.hits


def main():
    sys.setrecursionlimit(6000)
    config = json.loads(sys.argv[1])
    own = set(config.get("own", []))
    out = []
    for rel in sys.argv[2:]:
        out.extend(scan_file(rel, rel, own))
    sys.stdout.write("".join(json.dumps(o) + "\n" for o in out))


if __name__ == "__main__":
    main()
`;
