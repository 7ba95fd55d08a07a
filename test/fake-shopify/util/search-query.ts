// Shopify's search syntax (https://shopify.dev/docs/api/usage/search-syntax), the subset
// apps use for sync: `field:value`, `field:>value` (>, >=, <, <=), quoted values,
// implicit AND, OR, NOT / leading '-', and parentheses.

export type Comparator = ":" | ">" | ">=" | "<" | "<=";

export type SearchNode =
  | { kind: "term"; field: string | null; comparator: Comparator; value: string }
  | { kind: "and"; nodes: SearchNode[] }
  | { kind: "or"; nodes: SearchNode[] }
  | { kind: "not"; node: SearchNode };

type Token = { type: "word"; text: string } | { type: "open" } | { type: "close" };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === "(") {
      tokens.push({ type: "open" });
      i++;
    } else if (ch === ")") {
      tokens.push({ type: "close" });
      i++;
    } else {
      let text = "";
      while (i < input.length && !/[\s()]/.test(input[i])) {
        const c = input[i];
        if (c === "'" || c === '"') {
          const end = input.indexOf(c, i + 1);
          const stop = end === -1 ? input.length : end;
          text += input.slice(i + 1, stop);
          i = stop + 1;
        } else {
          text += c;
          i++;
        }
      }
      tokens.push({ type: "word", text });
    }
  }
  return tokens;
}

function parseTerm(text: string): SearchNode {
  const match = /^([A-Za-z_.]+):(>=|<=|>|<)?(.*)$/.exec(text);
  if (!match) return { kind: "term", field: null, comparator: ":", value: text };
  return { kind: "term", field: match[1].toLowerCase(), comparator: (match[2] as Comparator) ?? ":", value: match[3] };
}

export function parseSearchQuery(input: string | null | undefined): SearchNode | null {
  if (!input || !input.trim()) return null;
  const tokens = tokenize(input);
  let pos = 0;
  const peekWord = (): string | null => {
    const token = tokens[pos];
    return token?.type === "word" ? token.text : null;
  };
  const parseOr = (): SearchNode => {
    const nodes = [parseAnd()];
    while (peekWord() === "OR") {
      pos++;
      nodes.push(parseAnd());
    }
    return nodes.length === 1 ? nodes[0] : { kind: "or", nodes };
  };
  const parseAnd = (): SearchNode => {
    const nodes: SearchNode[] = [];
    while (pos < tokens.length && tokens[pos].type !== "close" && peekWord() !== "OR") {
      if (peekWord() === "AND") {
        pos++;
        continue;
      }
      nodes.push(parseUnary());
    }
    return nodes.length === 1 ? nodes[0] : { kind: "and", nodes };
  };
  const parseUnary = (): SearchNode => {
    const token = tokens[pos++];
    if (token.type === "open") {
      const inner = parseOr();
      if (tokens[pos]?.type === "close") pos++;
      return inner;
    }
    if (token.type === "close") return { kind: "and", nodes: [] };
    if (token.text === "NOT") return { kind: "not", node: parseUnary() };
    if (token.text.startsWith("-") && token.text.length > 1) return { kind: "not", node: parseTerm(token.text.slice(1)) };
    return parseTerm(token.text);
  };
  return parseOr();
}

export type FieldValue = string | number | bigint | boolean | null | string[];
export type FieldReader<T> = (item: T, field: string) => FieldValue | undefined;

function compareScalar(actual: Exclude<FieldValue, string[]>, comparator: Comparator, wanted: string): boolean {
  if (comparator === ":" && wanted === "*") return actual !== null && actual !== "";
  if (actual === null) return comparator === ":" && (wanted === "null" || wanted === "");
  let order: number;
  if (typeof actual === "bigint") {
    if (!/^-?\d+$/.test(wanted)) return false;
    const w = BigInt(wanted);
    order = actual < w ? -1 : actual > w ? 1 : 0;
  } else if (typeof actual === "number") {
    const w = Number(wanted);
    if (Number.isNaN(w)) return false;
    order = Math.sign(actual - w);
  } else if (typeof actual === "boolean") {
    return comparator === ":" && String(actual) === wanted.toLowerCase();
  } else if (/^\d{4}-\d{2}-\d{2}/.test(actual) && /^\d{4}-\d{2}-\d{2}/.test(wanted)) {
    order = Math.sign(Date.parse(actual) - Date.parse(wanted));
  } else {
    const a = actual.toLowerCase();
    const w = wanted.toLowerCase();
    if (comparator === ":") return w.endsWith("*") ? a.startsWith(w.slice(0, -1)) : a === w;
    order = a < w ? -1 : a > w ? 1 : 0;
  }
  switch (comparator) {
    case ":":
      return order === 0;
    case ">":
      return order > 0;
    case ">=":
      return order >= 0;
    case "<":
      return order < 0;
    case "<=":
      return order <= 0;
  }
}

/** Shopify ignores a filter on a field it does not know (with a warning), so unknown fields match. */
export function matchesSearch<T>(item: T, node: SearchNode | null, read: FieldReader<T>): boolean {
  if (!node) return true;
  switch (node.kind) {
    case "and":
      return node.nodes.every((n) => matchesSearch(item, n, read));
    case "or":
      return node.nodes.some((n) => matchesSearch(item, n, read));
    case "not":
      return !matchesSearch(item, node.node, read);
    case "term": {
      if (node.field?.endsWith("_not")) {
        return !matchesSearch(item, { ...node, field: node.field.slice(0, -4) }, read);
      }
      const value = read(item, node.field ?? "default");
      if (value === undefined) return true;
      if (Array.isArray(value)) return value.some((v) => compareScalar(v, node.comparator, node.value));
      return compareScalar(value, node.comparator, node.value);
    }
  }
}
