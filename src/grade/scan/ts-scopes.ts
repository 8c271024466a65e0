import ts from 'typescript';
import { GLOBAL_OBJECTS, GLOBAL_OBJECT_PROPERTIES } from './ts-rules.js';

/**
 * Name resolution for the tamper scan, without a type checker (no lib files, linear time): a first walk
 * records which names each scope declares (hoisting included), a second walk keeps, per name, the stack
 * of scopes that declare it — so resolving an identifier is one map lookup, and a name is global exactly
 * when no enclosing scope declares it. Ambient `declare` statements emit no code and declare nothing.
 */
export interface Binding {
  name: string;
  /** `const g = globalThis` (or window, self, document.defaultView…), not exported: a tracked alias. */
  globalAlias: boolean;
}

export type ScopeMap = Map<ts.Node, Binding[]>;

const SK = ts.SyntaxKind;

export function isFunctionLike(node: ts.Node): boolean {
  switch (node.kind) {
    case SK.FunctionDeclaration:
    case SK.FunctionExpression:
    case SK.ArrowFunction:
    case SK.MethodDeclaration:
    case SK.Constructor:
    case SK.GetAccessor:
    case SK.SetAccessor:
      return true;
    default:
      return false;
  }
}

/** Whether `node` opens a scope; `var` scopes are also where `var` and parameters land. */
export function scopeKind(node: ts.Node): 'var' | 'block' | null {
  switch (node.kind) {
    case SK.SourceFile:
    case SK.ModuleBlock:
    case SK.FunctionDeclaration:
    case SK.FunctionExpression:
    case SK.ArrowFunction:
    case SK.MethodDeclaration:
    case SK.Constructor:
    case SK.GetAccessor:
    case SK.SetAccessor:
      return 'var';
    case SK.Block:
      // A function's body block shares its function's scope.
      return isFunctionLike(node.parent) ? null : 'block';
    case SK.CaseBlock:
    case SK.CatchClause:
    case SK.ForStatement:
    case SK.ForInStatement:
    case SK.ForOfStatement:
    case SK.ClassExpression:
      return 'block';
    default:
      return null;
  }
}

/** Ambient (`declare …`) nodes: erased at compile time. */
export function isAmbient(node: ts.Node): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return modifiers !== undefined && modifiers.some((m) => m.kind === SK.DeclareKeyword);
}

export function hasExportModifier(node: ts.Node): boolean {
  const modifiers = (node as { modifiers?: ts.NodeArray<ts.ModifierLike> }).modifiers;
  return modifiers !== undefined && modifiers.some((m) => m.kind === SK.ExportKeyword);
}

/** Strips what does not change a value: parentheses, `as`, `!`, `satisfies`, `<T>x`. */
export function unwrap(expr: ts.Expression): ts.Expression {
  let e = expr;
  for (;;) {
    if (
      ts.isParenthesizedExpression(e) ||
      ts.isAsExpression(e) ||
      ts.isNonNullExpression(e) ||
      ts.isSatisfiesExpression(e) ||
      ts.isTypeAssertionExpression(e)
    )
      e = e.expression;
    else return e;
  }
}

/** The value of a literal expression used as a key (`'name'`, `` `name` ``, `0`), or null when computed at run time. */
export function literalValue(expr: ts.Expression): string | null {
  const e = unwrap(expr);
  if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e) || ts.isNumericLiteral(e)) return e.text;
  return null;
}

/** A declared property name (`name`, `'name'`, `['name']`), or null when computed at run time. */
export function literalKey(name: ts.PropertyName): string | null {
  if (ts.isComputedPropertyName(name)) return literalValue(name.expression);
  if (ts.isIdentifier(name) || ts.isPrivateIdentifier(name)) return name.text;
  if (ts.isStringLiteral(name) || ts.isNoSubstitutionTemplateLiteral(name) || ts.isNumericLiteral(name))
    return name.text;
  return null;
}

/** Whether an expression is, by its spelling alone, a global object (used to mark const aliases). */
function spellsGlobalObject(expr: ts.Expression): boolean {
  const e = unwrap(expr);
  if (ts.isIdentifier(e)) return GLOBAL_OBJECTS.has(e.text);
  if (ts.isConditionalExpression(e)) return spellsGlobalObject(e.whenTrue) || spellsGlobalObject(e.whenFalse);
  if (ts.isBinaryExpression(e)) {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.CommaToken) return spellsGlobalObject(e.right);
    if (
      op === ts.SyntaxKind.BarBarToken ||
      op === ts.SyntaxKind.QuestionQuestionToken ||
      op === ts.SyntaxKind.AmpersandAmpersandToken
    )
      return spellsGlobalObject(e.left) || spellsGlobalObject(e.right);
    return false;
  }
  if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
    const key = ts.isPropertyAccessExpression(e) ? e.name.text : literalValue(e.argumentExpression);
    if (key === 'defaultView') return true;
    return key !== null && GLOBAL_OBJECT_PROPERTIES.has(key) && spellsGlobalObject(e.expression);
  }
  return false;
}

function bindName(scopes: ScopeMap, scope: ts.Node, name: ts.BindingName, alias: boolean): void {
  let list = scopes.get(scope);
  if (!list) scopes.set(scope, (list = []));
  if (ts.isIdentifier(name)) {
    list.push({ name: name.text, globalAlias: alias });
    return;
  }
  for (const el of name.elements) if (!ts.isOmittedExpression(el)) bindName(scopes, scope, el.name, false);
}

/** Pass one: the names every scope declares. Linear in the size of the tree. */
export function collectBindings(sf: ts.SourceFile): ScopeMap {
  const scopes: ScopeMap = new Map();
  // The scopes that `let`/`const` and `var`/parameters land in; saved and restored around each scope
  // node (no closure per node: this runs over every node of a possibly huge reply).
  let block: ts.Node = sf;
  let fn: ts.Node = sf;
  const visit = (node: ts.Node): void => {
    if (isAmbient(node) || ts.isTypeNode(node)) return;
    switch (node.kind) {
      case SK.InterfaceDeclaration:
      case SK.TypeAliasDeclaration:
        return;
      case SK.VariableDeclaration: {
        const decl = node as ts.VariableDeclaration;
        if (decl.parent.kind === SK.CatchClause) break;
        const flags = ts.getCombinedNodeFlags(decl);
        const statement = decl.parent.parent;
        const exported = statement.kind === SK.VariableStatement && hasExportModifier(statement);
        const alias =
          (flags & ts.NodeFlags.Const) !== 0 &&
          !exported &&
          decl.name.kind === SK.Identifier &&
          !!decl.initializer &&
          spellsGlobalObject(decl.initializer);
        bindName(scopes, (flags & ts.NodeFlags.BlockScoped) !== 0 ? block : fn, decl.name, alias);
        break;
      }
      case SK.Parameter:
        bindName(scopes, fn, (node as ts.ParameterDeclaration).name, false);
        break;
      case SK.FunctionDeclaration:
      case SK.ClassDeclaration:
      case SK.EnumDeclaration:
      case SK.ImportEqualsDeclaration:
      case SK.ImportClause:
      case SK.NamespaceImport:
      case SK.ImportSpecifier:
      case SK.ModuleDeclaration: {
        const name = (node as { name?: ts.Node }).name;
        if (name && name.kind === SK.Identifier) bindName(scopes, block, name as ts.Identifier, false);
        break;
      }
      case SK.CatchClause: {
        const v = (node as ts.CatchClause).variableDeclaration;
        if (v) bindName(scopes, node, v.name, false);
        break;
      }
    }
    // Named function and class expressions see their own name.
    if (
      (node.kind === SK.FunctionExpression || node.kind === SK.ClassExpression) &&
      (node as ts.FunctionExpression).name
    )
      bindName(scopes, node, (node as ts.FunctionExpression).name!, false);
    const kind = scopeKind(node);
    if (!kind) {
      ts.forEachChild(node, visit);
      return;
    }
    const [savedBlock, savedFn] = [block, fn];
    block = node;
    if (kind === 'var') fn = node;
    ts.forEachChild(node, visit);
    [block, fn] = [savedBlock, savedFn];
  };
  visit(sf);
  return scopes;
}

/** Pass two's view: per name, the bindings of the scopes currently entered (innermost last). */
export class ScopeStack {
  private readonly byName = new Map<string, Binding[]>();
  constructor(private readonly scopes: ScopeMap) {}

  enter(node: ts.Node): void {
    for (const b of this.scopes.get(node) ?? []) {
      const stack = this.byName.get(b.name);
      if (stack) stack.push(b);
      else this.byName.set(b.name, [b]);
    }
  }

  exit(node: ts.Node): void {
    for (const b of this.scopes.get(node) ?? []) this.byName.get(b.name)?.pop();
  }

  /** The innermost binding of `name`, or undefined when it is a global. */
  resolve(name: string): Binding | undefined {
    const stack = this.byName.get(name);
    return stack?.[stack.length - 1];
  }
}
