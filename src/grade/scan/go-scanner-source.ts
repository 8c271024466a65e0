/**
 * The Go tamper scanner's source (a std-only Go program, built once per run by toolchains/go.ts with the
 * host's Go and run in the sandbox on each submission). Kept as a string so the bundled CLI carries it.
 * It prints what names resolve to; scan/go-rules.ts judges that output.
 */
export const GO_SCANNER_SOURCE = String.raw`// aibench's Go tamper scanner: type-checks the non-test files of each package directory named on the
// command line with go/types and prints one JSON object: what every used name resolves to (never how
// it is spelled), the imports, the //go: directives, the build constraints and the named types every
// declaration and expression carries. The harness judges it (src/grade/scan/go-rules.ts).
package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Use is one identifier resolved to an object of another package (or a builtin).
type Use struct {
	File, Pkg, Name, Kind string
	Line                  int
	// InMain: inside func main of package main. MainPkg: anywhere in package main.
	InMain, MainPkg bool
}

// Mark is a fact at a source line: an import path, a directive, a constraint, a type carried.
type Mark struct {
	File, Text string
	Line       int
	MainPkg    bool
}

type Output struct {
	Uses        []Use
	Imports     []Mark
	Directives  []Mark
	Constraints []Mark
	Types       []Mark
	Foreign     []Mark
	Errors      []string
}

const maxFileBytes = 2 << 20

func main() {
	out := Output{Uses: []Use{}, Imports: []Mark{}, Directives: []Mark{}, Constraints: []Mark{}, Types: []Mark{}, Foreign: []Mark{}, Errors: []string{}}
	root, _ := os.Getwd()
	for _, dir := range os.Args[1:] {
		scanDir(root, dir, &out)
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		os.Exit(3)
	}
}

func rel(root, file string) string {
	if r, err := filepath.Rel(root, file); err == nil {
		return filepath.ToSlash(r)
	}
	return file
}

func scanDir(root, dir string, out *Output) {
	ctx := build.Default
	ctx.CgoEnabled = true
	bp, err := ctx.ImportDir(dir, build.ImportComment)
	if bp == nil {
		out.Errors = append(out.Errors, fmt.Sprintf("%s: %v", dir, err))
		return
	}
	// Files the go command would hand to a C compiler, an assembler or the linker: never the model's to add.
	for _, group := range [][]string{bp.CFiles, bp.CXXFiles, bp.MFiles, bp.HFiles, bp.FFiles, bp.SFiles, bp.SwigFiles, bp.SwigCXXFiles, bp.SysoFiles} {
		for _, f := range group {
			out.Foreign = append(out.Foreign, Mark{File: rel(root, filepath.Join(dir, f)), Text: f})
		}
	}
	// Every non-test Go file, whatever its constraints say: a file built only under -race (or any tag)
	// is still judged, and its constraint reported.
	names := append([]string{}, bp.GoFiles...)
	names = append(names, bp.CgoFiles...)
	for _, f := range bp.IgnoredGoFiles {
		if !strings.HasSuffix(f, "_test.go") {
			names = append(names, f)
		}
	}
	sort.Strings(names)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		path := filepath.Join(dir, name)
		st, err := os.Lstat(path)
		if err != nil || !st.Mode().IsRegular() || st.Size() > maxFileBytes {
			out.Errors = append(out.Errors, fmt.Sprintf("%s: not a regular file under %d bytes", rel(root, path), maxFileBytes))
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			out.Errors = append(out.Errors, err.Error())
			continue
		}
		files = append(files, f)
	}
	if len(files) == 0 {
		return
	}
	byName := map[string][]*ast.File{}
	for _, f := range files {
		byName[f.Name.Name] = append(byName[f.Name.Name], f)
	}
	pkgNames := make([]string, 0, len(byName))
	for n := range byName {
		pkgNames = append(pkgNames, n)
	}
	sort.Strings(pkgNames)
	for _, n := range pkgNames {
		checkPackage(root, dir, n, fset, byName[n], out)
	}
}

func checkPackage(root, dir, name string, fset *token.FileSet, files []*ast.File, out *Output) {
	mainPkg := name == "main"
	pos := func(p token.Pos) (string, int) {
		pp := fset.Position(p)
		return rel(root, pp.Filename), pp.Line
	}
	for _, f := range files {
		for _, imp := range f.Imports {
			file, line := pos(imp.Pos())
			out.Imports = append(out.Imports, Mark{File: file, Line: line, Text: strings.Trim(imp.Path.Value, "\"\x60"), MainPkg: mainPkg})
		}
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				file, line := pos(c.Pos())
				if strings.HasPrefix(c.Text, "//go:") || strings.HasPrefix(c.Text, "//line ") || strings.HasPrefix(c.Text, "/*line ") || strings.HasPrefix(c.Text, "//export ") {
					out.Directives = append(out.Directives, Mark{File: file, Line: line, Text: firstLine(c.Text), MainPkg: mainPkg})
				}
				if cg.End() < f.Package && (strings.HasPrefix(c.Text, "//go:build") || strings.HasPrefix(c.Text, "// +build")) {
					out.Constraints = append(out.Constraints, Mark{File: file, Line: line, Text: firstLine(c.Text), MainPkg: mainPkg})
				}
			}
		}
	}
	info := &types.Info{
		Uses:  map[*ast.Ident]types.Object{},
		Defs:  map[*ast.Ident]types.Object{},
		Types: map[ast.Expr]types.TypeAndValue{},
	}
	var typeErrs []string
	var self *types.Package
	check := func(imp types.Importer) {
		typeErrs = nil
		info.Uses, info.Defs, info.Types = map[*ast.Ident]types.Object{}, map[*ast.Ident]types.Object{}, map[ast.Expr]types.TypeAndValue{}
		conf := types.Config{Importer: imp, Error: func(err error) {
			if len(typeErrs) < 20 {
				typeErrs = append(typeErrs, err.Error())
			}
		}}
		self, _ = conf.Check(name, fset, files, info)
	}
	// Export data first (fast where the toolchain ships it or builds it into GOCACHE), std sources otherwise.
	check(importer.ForCompiler(fset, "gc", nil))
	if len(typeErrs) > 0 {
		check(importer.ForCompiler(fset, "source", nil))
	}
	out.Errors = append(out.Errors, typeErrs...)

	// Function bodies of func main in package main: where process exit, flags and the streams are a CLI's own.
	type span struct{ from, to token.Pos }
	var mains []span
	if mainPkg {
		for _, f := range files {
			for _, d := range f.Decls {
				if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == "main" {
					mains = append(mains, span{fd.Pos(), fd.End()})
				}
			}
		}
	}
	inMain := func(p token.Pos) bool {
		for _, s := range mains {
			if p >= s.from && p < s.to {
				return true
			}
		}
		return false
	}
	ids := make([]*ast.Ident, 0, len(info.Uses))
	for id := range info.Uses {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].Pos() < ids[j].Pos() })
	for _, id := range ids {
		obj := info.Uses[id]
		u, ok := describe(obj, name)
		if !ok {
			continue
		}
		u.File, u.Line = pos(id.Pos())
		u.InMain, u.MainPkg = inMain(id.Pos()), mainPkg
		out.Uses = append(out.Uses, u)
	}
	seen := map[string]bool{}
	carry := func(p token.Pos, t types.Type) {
		if t == nil {
			return
		}
		file, line := pos(p)
		for _, n := range carried(t, self) {
			key := fmt.Sprintf("%s:%d:%s", file, line, n)
			if !seen[key] {
				seen[key] = true
				out.Types = append(out.Types, Mark{File: file, Line: line, Text: n, MainPkg: mainPkg})
			}
		}
	}
	defs := make([]*ast.Ident, 0, len(info.Defs))
	for id := range info.Defs {
		defs = append(defs, id)
	}
	sort.Slice(defs, func(i, j int) bool { return defs[i].Pos() < defs[j].Pos() })
	for _, id := range defs {
		if obj := info.Defs[id]; obj != nil {
			carry(id.Pos(), obj.Type())
		}
	}
	exprs := make([]ast.Expr, 0, len(info.Types))
	for e := range info.Types {
		exprs = append(exprs, e)
	}
	sort.Slice(exprs, func(i, j int) bool { return exprs[i].Pos() < exprs[j].Pos() })
	for _, e := range exprs {
		carry(e.Pos(), info.Types[e].Type)
	}
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 200 {
		s = s[:200]
	}
	return s
}

// describe names an object of another package as the compiler resolved it: Pkg is its import path, Name
// "Exit", or "Type.Method" for methods (pointer receivers shown as the type), Kind func|var|type|const|builtin.
func describe(obj types.Object, self string) (Use, bool) {
	if obj == nil {
		return Use{}, false
	}
	if b, ok := obj.(*types.Builtin); ok {
		return Use{Pkg: "", Name: b.Name(), Kind: "builtin"}, true
	}
	if obj.Pkg() == nil {
		return Use{}, false
	}
	path := obj.Pkg().Path()
	u := Use{Pkg: path, Name: obj.Name()}
	switch o := obj.(type) {
	case *types.Func:
		u.Kind = "func"
		if sig, ok := o.Type().(*types.Signature); ok && sig.Recv() != nil {
			if n := namedOf(sig.Recv().Type()); n != nil {
				if n.Obj().Pkg() == nil {
					return Use{}, false
				}
				path = n.Obj().Pkg().Path()
				u.Pkg = path
				u.Name = n.Obj().Name() + "." + o.Name()
			} else {
				u.Name = "?." + o.Name()
			}
		}
	case *types.Var:
		u.Kind = "var"
		if o.IsField() {
			u.Kind = "field"
		}
	case *types.TypeName:
		u.Kind = "type"
	case *types.Const:
		u.Kind = "const"
	case *types.PkgName:
		return Use{}, false
	default:
		u.Kind = "other"
	}
	// The package's own names are not judged here (its types are, through Types).
	if path == self {
		return Use{}, false
	}
	return u, true
}

func namedOf(t types.Type) *types.Named {
	if p, ok := t.(*types.Pointer); ok {
		t = p.Elem()
	}
	n, _ := t.(*types.Named)
	return n
}

// carried lists the named types of other packages a type is built from (through pointers, slices,
// arrays, maps, channels, functions and unnamed structs, never into a named type's own definition) and
// "chan" when it holds a channel.
func carried(t types.Type, self *types.Package) []string {
	var outs []string
	seen := map[types.Type]bool{}
	var walk func(t types.Type, depth int)
	walk = func(t types.Type, depth int) {
		if t == nil || depth > 12 || seen[t] {
			return
		}
		seen[t] = true
		switch x := t.(type) {
		case *types.Named:
			if x.Obj().Pkg() != nil && x.Obj().Pkg() != self {
				outs = append(outs, x.Obj().Pkg().Path()+"."+x.Obj().Name())
			}
			if args := x.TypeArgs(); args != nil {
				for i := 0; i < args.Len(); i++ {
					walk(args.At(i), depth+1)
				}
			}
			// The package's own types: what they are made of counts (a struct of the model's holding a mutex).
			if x.Obj().Pkg() == self {
				walk(x.Underlying(), depth+1)
			}
		case *types.Pointer:
			walk(x.Elem(), depth+1)
		case *types.Slice:
			walk(x.Elem(), depth+1)
		case *types.Array:
			walk(x.Elem(), depth+1)
		case *types.Map:
			walk(x.Key(), depth+1)
			walk(x.Elem(), depth+1)
		case *types.Chan:
			outs = append(outs, "chan")
			walk(x.Elem(), depth+1)
		case *types.Signature:
			walk(x.Params(), depth+1)
			walk(x.Results(), depth+1)
		case *types.Tuple:
			for i := 0; i < x.Len(); i++ {
				walk(x.At(i).Type(), depth+1)
			}
		case *types.Struct:
			for i := 0; i < x.NumFields(); i++ {
				walk(x.Field(i).Type(), depth+1)
			}
		}
	}
	walk(t, 0)
	return outs
}
`;
