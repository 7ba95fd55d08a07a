// The ShopifyQL segment subset Patron writes: `customer_tags CONTAINS 'x'`, its
// `NOT CONTAINS` form, AND / OR / NOT and parentheses. Anything else is rejected
// as Shopify rejects a filter it cannot find.

export type SegmentExpr =
  | { kind: "tag"; tag: string; negated: boolean }
  | { kind: "and" | "or"; left: SegmentExpr; right: SegmentExpr }
  | { kind: "not"; expr: SegmentExpr };

interface Token {
  text: string;
  column: number;
  quoted: boolean;
}

export class SegmentQueryError extends Error {}

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "(" || ch === ")") {
      tokens.push({ text: ch, column: i, quoted: false });
      i++;
    } else if (ch === "'") {
      let text = "";
      let j = i + 1;
      while (j < query.length && query[j] !== "'") {
        if (query[j] === "\\" && j + 1 < query.length) j++;
        text += query[j];
        j++;
      }
      if (j >= query.length) throw new SegmentQueryError(`Line 1 Column ${i}: Unterminated string literal.`);
      tokens.push({ text, column: i, quoted: true });
      i = j + 1;
    } else {
      const start = i;
      while (i < query.length && !/[\s()']/.test(query[i])) i++;
      tokens.push({ text: query.slice(start, i), column: start, quoted: false });
    }
  }
  return tokens;
}

export function parseSegmentQuery(query: string): SegmentExpr {
  const tokens = tokenize(query);
  let pos = 0;
  const keyword = (word: string): boolean => {
    const token = tokens[pos];
    return token !== undefined && !token.quoted && token.text.toUpperCase() === word;
  };
  const fail = (message: string): never => {
    const column = tokens[pos]?.column ?? query.length;
    throw new SegmentQueryError(`Line 1 Column ${column}: ${message}`);
  };
  const parseOr = (): SegmentExpr => {
    let left = parseAnd();
    while (keyword("OR")) {
      pos++;
      left = { kind: "or", left, right: parseAnd() };
    }
    return left;
  };
  const parseAnd = (): SegmentExpr => {
    let left = parseUnary();
    while (keyword("AND")) {
      pos++;
      left = { kind: "and", left, right: parseUnary() };
    }
    return left;
  };
  const parseUnary = (): SegmentExpr => {
    if (keyword("NOT")) {
      pos++;
      return { kind: "not", expr: parseUnary() };
    }
    const token = tokens[pos];
    if (!token) return fail("Unexpected end of query.");
    if (token.text === "(" && !token.quoted) {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.text !== ")") return fail("Expected ')'.");
      pos++;
      return inner;
    }
    if (token.quoted || token.text !== "customer_tags") return fail(`'${token.text}' filter cannot be found.`);
    pos++;
    let negated = false;
    if (keyword("NOT")) {
      negated = true;
      pos++;
    }
    if (!keyword("CONTAINS")) return fail("Expected CONTAINS after customer_tags.");
    pos++;
    const value = tokens[pos];
    if (!value?.quoted) return fail("customer_tags CONTAINS expects a quoted string value.");
    pos++;
    return { kind: "tag", tag: value.text, negated };
  };
  if (tokens.length === 0) fail("Query can't be blank.");
  const expr = parseOr();
  if (pos < tokens.length) fail(`Unexpected '${tokens[pos].text}'.`);
  return expr;
}

/** Shopify compares tags case-insensitively. */
export function segmentMatches(expr: SegmentExpr, tags: readonly string[]): boolean {
  switch (expr.kind) {
    case "tag": {
      const wanted = expr.tag.toLowerCase();
      const has = tags.some((t) => t.toLowerCase() === wanted);
      return expr.negated ? !has : has;
    }
    case "and":
      return segmentMatches(expr.left, tags) && segmentMatches(expr.right, tags);
    case "or":
      return segmentMatches(expr.left, tags) || segmentMatches(expr.right, tags);
    case "not":
      return !segmentMatches(expr.expr, tags);
  }
}
