import ts from 'typescript';
import { judgeSpecifier, type ModulePolicy } from './ts-modules.js';
import {
  DYNAMIC_CODE_GLOBALS,
  GLOBAL_OBJECTS,
  GLOBAL_OBJECT_PROPERTIES,
  INSPECTOR_PROPERTIES,
  MUTATORS,
  TEST_GLOBALS,
  TEST_SYMBOL_KEYS,
  type NodeRuleId,
} from './ts-rules.js';
import {
  collectBindings,
  isAmbient,
  literalKey,
  literalValue,
  scopeKind,
  ScopeStack,
  unwrap,
} from './ts-scopes.js';
import {
  CLIMB_LIMIT,
  isComparison,
  isReference,
  isStringLike,
  isWriteTarget,
  passesThrough,
} from './ts-syntax.js';

const SK = ts.SyntaxKind;

export interface RawHit {
  rule: NodeRuleId;
  /** What exactly was found, for the feedback. */
  why: string;
  node: ts.Node;
}

/** `__vitest_worker__`, `__VITEST_…`: the runner's own state. */
const isVitestInternal = (name: string) =>
  name.startsWith('__') && name.slice(2, 8).toLowerCase() === 'vitest';
const isTestName = (name: string) => TEST_GLOBALS.has(name) || isVitestInternal(name);

/**
 * Pass two over one parsed file: every capability the code reaches, judged after name resolution.
 * A global object (globalThis, window, self, document.defaultView, or a const alias of one) may only
 * be read by fixed, harmless property names, destructured by such names, compared, or `typeof`-tested;
 * anything else hands it out and is refused.
 */
export function walkFile(sf: ts.SourceFile, file: string, policy: ModulePolicy, hits: RawHit[]): void {
  const scopes = new ScopeStack(collectBindings(sf));
  const hit = (rule: NodeRuleId, why: string, node: ts.Node) => hits.push({ rule, why, node });

  /** The property key of an access (`a.b`, `a['b']`), '' when computed at run time. */
  const keyOf = (n: ts.PropertyAccessExpression | ts.ElementAccessExpression): string =>
    ts.isPropertyAccessExpression(n) ? n.name.text : (literalValue(n.argumentExpression) ?? '');

  const isGlobalObject = (expr: ts.Expression, depth = 0): boolean => {
    if (depth > CLIMB_LIMIT) return true;
    const e = unwrap(expr);
    if (ts.isIdentifier(e)) {
      const b = scopes.resolve(e.text);
      return b ? b.globalAlias : GLOBAL_OBJECTS.has(e.text);
    }
    if (ts.isConditionalExpression(e))
      return isGlobalObject(e.whenTrue, depth + 1) || isGlobalObject(e.whenFalse, depth + 1);
    if (ts.isBinaryExpression(e) && passesThrough(e, e.right))
      return (
        (e.operatorToken.kind !== ts.SyntaxKind.CommaToken && isGlobalObject(e.left, depth + 1)) ||
        isGlobalObject(e.right, depth + 1)
      );
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const key = keyOf(e);
      return (
        key === 'defaultView' ||
        (GLOBAL_OBJECT_PROPERTIES.has(key) && isGlobalObject(e.expression, depth + 1))
      );
    }
    return false;
  };

  /** A global named `name`: a free identifier, or `globalThis.name` / `window.name`. */
  const namesGlobal = (expr: ts.Expression, name: string): boolean => {
    const e = unwrap(expr);
    if (ts.isIdentifier(e)) return e.text === name && !scopes.resolve(name);
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e))
      return keyOf(e) === name && isGlobalObject(e.expression);
    return false;
  };

  /** Built-ins a submission must not change: global objects, built-in classes and their prototypes. */
  const isBuiltinObject = (expr: ts.Expression): boolean => {
    const e = unwrap(expr);
    if (isGlobalObject(e)) return true;
    if (ts.isIdentifier(e)) return !scopes.resolve(e.text) && /^[A-Z]/.test(e.text);
    if (ts.isPropertyAccessExpression(e) || ts.isElementAccessExpression(e)) {
      const key = keyOf(e);
      // window.HTMLElement, globalThis.Math: built-ins; window.location is an ordinary object.
      return (
        key === 'prototype' || key === '__proto__' || (/^[A-Z]/.test(key) && isGlobalObject(e.expression))
      );
    }
    if (ts.isCallExpression(e)) {
      const callee = unwrap(e.expression);
      return (
        (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) &&
        keyOf(callee) === 'getPrototypeOf'
      );
    }
    return false;
  };

  /** `process` is reached: only `process.env.NODE_ENV` (read) and `typeof process` are harmless. */
  const judgeProcess = (node: ts.Expression) => {
    let n: ts.Node = node;
    for (let i = 0; passesThrough(n.parent, n); i++) {
      if (i > CLIMB_LIMIT) return hit('process-control', 'uses process', node);
      n = n.parent;
    }
    const p = n.parent;
    if (ts.isTypeOfExpression(p)) return;
    if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n) {
      const key = keyOf(p);
      if (key === 'env') {
        const q = p.parent;
        const nodeEnv =
          (ts.isPropertyAccessExpression(q) || ts.isElementAccessExpression(q)) &&
          q.expression === p &&
          keyOf(q) === 'NODE_ENV' &&
          !isWriteTarget(q);
        if (!nodeEnv) hit('env-access', 'reads process.env', p);
        return;
      }
      hit(INSPECTOR_PROPERTIES.has(key) ? 'inspector' : 'process-control', `uses process.${key || '[…]'}`, p);
      return;
    }
    hit('process-control', 'uses process', node);
  };

  /** A global reached by name (free identifier or literal property of a global object). */
  const judgeGlobalName = (name: string, node: ts.Expression) => {
    if (isWriteTarget(node)) hit('prototype-tamper', `writes the global ${name}`, node);
    else if (isTestName(name)) hit('test-globals', `uses the test global ${name}`, node);
    else if (name === 'process') judgeProcess(node);
    else if (DYNAMIC_CODE_GLOBALS.has(name)) hit('dynamic-code', `uses ${name}`, node);
    else if (name === 'Reflect') {
      const p = node.parent;
      const key =
        (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === node
          ? keyOf(p)
          : '';
      if (!key || MUTATORS.has(key)) hit('prototype-tamper', `uses Reflect${key ? `.${key}` : ''}`, node);
    }
  };

  /** A node that evaluates to a global object: how is it used? */
  const judgeGlobalObjectUse = (root: ts.Expression) => {
    let n: ts.Node = root;
    for (let i = 0; ; i++) {
      const p = n.parent;
      if (i > CLIMB_LIMIT) return hit('test-globals', 'passes a global object around', root);
      if (passesThrough(p, n)) n = p;
      else if (
        (ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) &&
        p.expression === n &&
        GLOBAL_OBJECT_PROPERTIES.has(keyOf(p))
      )
        n = p;
      else break;
    }
    const p = n.parent;
    const name = root.getText(sf).slice(0, 40);
    if ((ts.isPropertyAccessExpression(p) || ts.isElementAccessExpression(p)) && p.expression === n) {
      const key = keyOf(p);
      if (!key) return hit('test-globals', `computed property of ${name}`, p);
      if (isWriteTarget(p)) return hit('prototype-tamper', `writes ${name}.${key}`, p);
      return judgeGlobalName(key, p);
    }
    if (ts.isVariableDeclaration(p) && p.initializer === n) {
      if (ts.isIdentifier(p.name) && scopes.resolve(p.name.text)?.globalAlias) return;
      if (ts.isObjectBindingPattern(p.name)) return judgePattern(p.name, name);
    }
    if (ts.isTypeOfExpression(p) || ts.isVoidExpression(p) || ts.isExpressionStatement(p) || isComparison(p))
      return;
    if (ts.isBinaryExpression(p) && p.operatorToken.kind === ts.SyntaxKind.InKeyword && p.right === n) {
      const key = literalValue(p.left);
      if (key === null) return hit('test-globals', `computed property of ${name}`, p);
      if (isTestName(key)) hit('test-globals', `looks up the test global ${key}`, p);
      return;
    }
    hit('test-globals', `passes ${name} around`, p);
  };

  /** `const { crypto } = window`: each destructured name is a global read by name. */
  const judgePattern = (pattern: ts.ObjectBindingPattern, name: string) => {
    for (const el of pattern.elements) {
      const keyNode = el.propertyName ?? (ts.isIdentifier(el.name) ? el.name : undefined);
      const key = el.dotDotDotToken || !keyNode ? null : literalKey(keyNode);
      if (key === null) {
        hit('test-globals', `destructures ${name} by computed or rest names`, el);
        continue;
      }
      if (isTestName(key)) hit('test-globals', `uses the test global ${key}`, el);
      else if (key === 'process') hit('process-control', 'uses process', el);
      else if (DYNAMIC_CODE_GLOBALS.has(key)) hit('dynamic-code', `uses ${key}`, el);
      else if (key === 'Reflect') hit('prototype-tamper', 'uses Reflect', el);
      if (!ts.isIdentifier(el.name)) {
        if (ts.isObjectBindingPattern(el.name) && GLOBAL_OBJECT_PROPERTIES.has(key))
          judgePattern(el.name, key);
        else if (!ts.isObjectBindingPattern(el.name) && GLOBAL_OBJECT_PROPERTIES.has(key))
          hit('test-globals', `destructures ${key}`, el);
      }
    }
  };

  const judgeModule = (spec: ts.Expression, node: ts.Node) => {
    if (!ts.isStringLiteral(spec) && !ts.isNoSubstitutionTemplateLiteral(spec))
      return hit('dynamic-code', 'imports a module named at run time', node);
    const verdict = judgeSpecifier(spec.text, file, policy);
    if (verdict) hit(verdict.rule, verdict.why, node);
  };

  const judgePropertyName = (key: string, node: ts.Node) => {
    if (key === 'asymmetricMatch') hit('asymmetric-match', 'defines or reads asymmetricMatch', node);
    else if (isVitestInternal(key)) hit('test-globals', `uses ${key}`, node);
  };

  const judgeAccess = (n: ts.PropertyAccessExpression | ts.ElementAccessExpression) => {
    const key = keyOf(n);
    judgePropertyName(key, n);
    if (key === 'defaultView') judgeGlobalObjectUse(n);
    if (INSPECTOR_PROPERTIES.has(key) && key !== 'binding') hit('inspector', `uses .${key}`, n);
    if (key === 'constructor') {
      const p = n.parent;
      const harmless =
        isComparison(p) || (ts.isPropertyAccessExpression(p) && p.expression === n && p.name.text === 'name');
      if (!harmless) hit('dynamic-code', 'reaches a constructor through .constructor (Function)', n);
    }
    if (key === 'for' && namesGlobal(n.expression, 'Symbol')) {
      const call = n.parent;
      const arg = ts.isCallExpression(call) && call.expression === n ? call.arguments[0] : undefined;
      const text = arg && literalValue(arg);
      if (text === null || text === undefined || TEST_SYMBOL_KEYS.test(text))
        hit('test-globals', `Symbol.for(${text ?? '…'})`, n);
    }
    if (isWriteTarget(n) && (isBuiltinObject(n.expression) || key === 'prototype' || key === '__proto__'))
      hit('prototype-tamper', `writes ${n.getText(sf).slice(0, 60)}`, n);
  };

  const judgeCall = (call: ts.CallExpression) => {
    const callee = unwrap(call.expression);
    if (call.expression.kind === ts.SyntaxKind.ImportKeyword)
      return call.arguments[0] ? judgeModule(unwrap(call.arguments[0]), call) : undefined;
    const first = call.arguments[0] && unwrap(call.arguments[0]);
    if (
      (namesGlobal(callee, 'setTimeout') || namesGlobal(callee, 'setInterval')) &&
      first &&
      isStringLike(first)
    )
      hit('dynamic-code', 'passes a string of code to a timer', call);
    if (
      (ts.isPropertyAccessExpression(callee) || ts.isElementAccessExpression(callee)) &&
      MUTATORS.has(keyOf(callee))
    ) {
      if (first && isBuiltinObject(first))
        hit('prototype-tamper', `${keyOf(callee)} on ${first.getText(sf).slice(0, 40)}`, call);
    }
    // a[x][y](…) with both keys built at run time: the shape of `[][c][c]('code')`.
    if (
      ts.isElementAccessExpression(callee) &&
      literalValue(callee.argumentExpression) === null &&
      ts.isElementAccessExpression(unwrap(callee.expression))
    ) {
      const inner = unwrap(callee.expression) as ts.ElementAccessExpression;
      if (literalValue(inner.argumentExpression) === null)
        hit('dynamic-code', 'calls a function reached by two computed keys', call);
    }
  };

  const judge = (node: ts.Node) => {
    switch (node.kind) {
      case SK.Identifier: {
        const id = node as ts.Identifier;
        if (!isReference(id)) return;
        const b = scopes.resolve(id.text);
        if (b) {
          if (b.globalAlias) judgeGlobalObjectUse(id);
        } else if (GLOBAL_OBJECTS.has(id.text)) {
          if (isWriteTarget(id)) hit('prototype-tamper', `writes the global ${id.text}`, id);
          else judgeGlobalObjectUse(id);
        } else judgeGlobalName(id.text, id);
        return;
      }
      case SK.PropertyAccessExpression:
      case SK.ElementAccessExpression:
        return judgeAccess(node as ts.PropertyAccessExpression | ts.ElementAccessExpression);
      case SK.CallExpression:
        return judgeCall(node as ts.CallExpression);
      case SK.MetaProperty:
        if ((node as ts.MetaProperty).keywordToken === SK.ImportKeyword)
          hit('bundler-import', 'uses import.meta', node);
        return;
      case SK.ImportDeclaration: {
        const decl = node as ts.ImportDeclaration;
        if (!decl.importClause?.isTypeOnly) judgeModule(decl.moduleSpecifier, decl);
        return;
      }
      case SK.ExportDeclaration: {
        const decl = node as ts.ExportDeclaration;
        if (decl.moduleSpecifier && !decl.isTypeOnly) judgeModule(decl.moduleSpecifier, decl);
        return;
      }
      case SK.ExternalModuleReference:
        hit('dynamic-code', 'uses require (import = require)', node);
        return judgeModule((node as ts.ExternalModuleReference).expression, node);
      case SK.PropertyAssignment:
      case SK.MethodDeclaration:
      case SK.PropertyDeclaration:
      case SK.GetAccessor:
      case SK.SetAccessor:
      case SK.ShorthandPropertyAssignment: {
        const key = literalKey((node as ts.PropertyAssignment).name);
        if (key) judgePropertyName(key, node);
        return;
      }
    }
  };

  const visit = (node: ts.Node): void => {
    switch (node.kind) {
      case SK.InterfaceDeclaration:
      case SK.TypeAliasDeclaration:
        return;
      case SK.ExpressionWithTypeArguments: {
        // `class A extends B<T>` and `f<T>` run B and f; `implements` is a type.
        const clause = node.parent;
        if (!(ts.isHeritageClause(clause) && clause.token === SK.ImplementsKeyword))
          visit((node as ts.ExpressionWithTypeArguments).expression);
        return;
      }
    }
    if (isAmbient(node) || ts.isTypeNode(node)) return;
    const scoped = scopeKind(node) !== null;
    if (scoped) scopes.enter(node);
    judge(node);
    ts.forEachChild(node, visit);
    if (scoped) scopes.exit(node);
  };
  visit(sf);
}
