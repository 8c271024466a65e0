import ts from 'typescript';

/** Small syntax questions the tamper scan asks of a node, each answered in bounded time. */

const SK = ts.SyntaxKind;

/** Climbs at most this many wrappers: deeper nesting is treated as the worst case (linear time). */
export const CLIMB_LIMIT = 64;

/** Whether an identifier is a reference to a binding (not a property name, label, or declared name). */
export function isReference(id: ts.Identifier): boolean {
  const p = id.parent;
  switch (p.kind) {
    case SK.ShorthandPropertyAssignment:
      return true;
    case SK.ExportSpecifier: {
      const spec = p as ts.ExportSpecifier;
      return !spec.parent.parent.moduleSpecifier && (spec.propertyName ?? spec.name) === id;
    }
    case SK.JsxOpeningElement:
    case SK.JsxSelfClosingElement:
    case SK.JsxClosingElement: {
      const first = id.text.charCodeAt(0);
      return !(first >= 97 && first <= 122);
    }
    case SK.QualifiedName:
    case SK.MetaProperty:
      return false;
  }
  const fields = p as unknown as { name?: ts.Node; propertyName?: ts.Node; label?: ts.Node };
  return fields.name !== id && fields.propertyName !== id && fields.label !== id;
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;
}

/** Whether `node` is written: assigned (also inside destructuring), incremented, deleted, a for-in/of target. */
export function isWriteTarget(node: ts.Node): boolean {
  let n = node;
  for (let i = 0; i < CLIMB_LIMIT; i++) {
    const p = n.parent;
    if (!p) return false;
    if (
      ts.isParenthesizedExpression(p) ||
      ts.isNonNullExpression(p) ||
      ts.isAsExpression(p) ||
      ts.isSatisfiesExpression(p) ||
      ts.isTypeAssertionExpression(p) ||
      ts.isArrayLiteralExpression(p) ||
      ts.isSpreadElement(p) ||
      ts.isSpreadAssignment(p) ||
      ts.isShorthandPropertyAssignment(p) ||
      ts.isObjectLiteralExpression(p)
    ) {
      n = p;
      continue;
    }
    if (ts.isPropertyAssignment(p)) {
      if (p.initializer !== n) return false;
      n = p;
      continue;
    }
    if (ts.isBinaryExpression(p)) return p.left === n && isAssignmentOperator(p.operatorToken.kind);
    if (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p))
      return p.operator === ts.SyntaxKind.PlusPlusToken || p.operator === ts.SyntaxKind.MinusMinusToken;
    if (ts.isDeleteExpression(p)) return true;
    if (ts.isForInStatement(p) || ts.isForOfStatement(p)) return p.initializer === n;
    return false;
  }
  return true;
}

/** Whether a value flows through `parent` unchanged (so its use is decided one level up). */
export function passesThrough(parent: ts.Node, child: ts.Node): boolean {
  if (
    ts.isParenthesizedExpression(parent) ||
    ts.isNonNullExpression(parent) ||
    ts.isAsExpression(parent) ||
    ts.isSatisfiesExpression(parent) ||
    ts.isTypeAssertionExpression(parent)
  )
    return true;
  if (ts.isConditionalExpression(parent)) return parent.condition !== child;
  if (ts.isBinaryExpression(parent)) {
    const op = parent.operatorToken.kind;
    if (op === ts.SyntaxKind.CommaToken) return parent.right === child;
    return (
      op === ts.SyntaxKind.BarBarToken ||
      op === ts.SyntaxKind.QuestionQuestionToken ||
      op === ts.SyntaxKind.AmpersandAmpersandToken
    );
  }
  return false;
}

/** Whether an expression builds a string (the first argument of a string `setTimeout`). */
export function isStringLike(expr: ts.Expression): boolean {
  return (
    ts.isStringLiteral(expr) ||
    ts.isNoSubstitutionTemplateLiteral(expr) ||
    ts.isTemplateExpression(expr) ||
    (ts.isBinaryExpression(expr) && expr.operatorToken.kind === ts.SyntaxKind.PlusToken)
  );
}

/** `===`, `!==`, `==`, `!=`, `instanceof`: comparing a value never hands it out. */
export function isComparison(node: ts.Node): boolean {
  if (!ts.isBinaryExpression(node)) return false;
  const op = node.operatorToken.kind;
  return (
    op === ts.SyntaxKind.EqualsEqualsEqualsToken ||
    op === ts.SyntaxKind.ExclamationEqualsEqualsToken ||
    op === ts.SyntaxKind.EqualsEqualsToken ||
    op === ts.SyntaxKind.ExclamationEqualsToken ||
    op === ts.SyntaxKind.InstanceOfKeyword
  );
}
