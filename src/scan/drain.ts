// Drain-style grouping of unrecognised error lines into templates (He et al., "Drain: An
// Online Log Parsing Approach with Fixed Depth Tree", ICWS 2017). Written by hand: there
// is no maintained JavaScript Drain library. Variable tokens (numbers, hex, ids, IPs,
// paths, timestamps, quoted values) are masked first; lines are routed by token count and
// their first DEPTH tokens through a fixed-depth tree; within a leaf a line joins the most
// similar cluster (share of equal tokens ≥ SIMILARITY) or starts a new one.

const DEPTH = 3;
const SIMILARITY = 0.5;
const MAX_CHILDREN = 64;
const MAX_CLUSTERS = 2_000;
const MAX_TOKENS = 64;
const WILD = '<*>';

export interface DrainExample<E> {
  at: E;
}

export interface DrainCluster<E> {
  tokens: string[];
  count: number;
  /** The earliest example position offered for this cluster. */
  example: E;
  exampleOrder: number;
}

const MASKS: [RegExp, string][] = [
  [/^\d{4}-\d{2}-\d{2}[T ]?[\d:.,]*(?:z|[+-]\d{2}:?\d{2})?$/i, '<TS>'],
  [/^\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?$/, '<TS>'],
  [/^(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?$/, '<IP>'],
  [/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, '<ID>'],
  [/^[-+]?\d+(?:[.,]\d+)*(?:ms|s|m|h|kb|mb|gb|mib|gib|%)?$/i, '<NUM>'],
  [/^(?:0x[0-9a-f]+|(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{6,})$/i, '<HEX>'],
  [/^(?:[a-z]:)?(?:[\\/][\w.@:+-]+){2,}[\\/]?$/i, '<PATH>'],
  [/^[a-z0-9_]*\d[a-z0-9_-]{5,}$/i, '<ID>'],
];

/** Splits a line into tokens and masks variable ones. */
export function tokenize(line: string): string[] {
  const raw = line.trim().split(/\s+/, MAX_TOKENS);
  const out: string[] = [];
  for (let tok of raw) {
    if (tok === '') continue;
    // key=value: keep the key, mask the value.
    const eq = /^([A-Za-z_][\w.-]{0,40})=(.+)$/.exec(tok);
    if (eq) {
      out.push(`${eq[1]}=${maskToken(eq[2]!)}`);
      continue;
    }
    tok = tok.replace(/^["'([{<]+|["')\]}>,;]+$/g, '');
    out.push(maskToken(tok));
  }
  return out;
}

function maskToken(tok: string): string {
  if (/^["'].*["']$/.test(tok) && tok.length > 2) return '<STR>';
  for (const [re, m] of MASKS) if (re.test(tok)) return m;
  return tok;
}

function isVariable(tok: string): boolean {
  return tok.startsWith('<') && tok.endsWith('>');
}

interface Node<E> {
  children: Map<string, Node<E>>;
  clusters: DrainCluster<E>[];
}

/** The template tree. `E` is the example position type (file and offset, or file and line). */
export class Drain<E> {
  private readonly root: Node<E> = { children: new Map(), clusters: [] };
  private clusterCount = 0;
  /** Lines not grouped because the tree was full. */
  overflow = 0;

  /** Adds a line (already tokenised) with a weight; returns false when the tree is full. */
  addTokens(tokens: string[], count: number, example: E, exampleOrder: number): boolean {
    if (tokens.length === 0) return true;
    const leaf = this.leafFor(tokens);
    let best: DrainCluster<E> | undefined;
    let bestSim = -1;
    for (const c of leaf.clusters) {
      const sim = similarity(c.tokens, tokens);
      if (sim > bestSim) {
        bestSim = sim;
        best = c;
      }
    }
    if (best && bestSim >= SIMILARITY) {
      for (let i = 0; i < tokens.length; i++) if (best.tokens[i] !== tokens[i]) best.tokens[i] = WILD;
      best.count += count;
      if (exampleOrder < best.exampleOrder) {
        best.example = example;
        best.exampleOrder = exampleOrder;
      }
      return true;
    }
    if (this.clusterCount >= MAX_CLUSTERS) {
      this.overflow += count;
      return false;
    }
    leaf.clusters.push({ tokens: [...tokens], count, example, exampleOrder });
    this.clusterCount++;
    return true;
  }

  add(line: string, example: E, exampleOrder: number): boolean {
    return this.addTokens(tokenize(line), 1, example, exampleOrder);
  }

  private leafFor(tokens: string[]): Node<E> {
    let node = this.child(this.root, String(tokens.length));
    for (let d = 0; d < DEPTH && d < tokens.length; d++) {
      const t = tokens[d]!;
      const key = isVariable(t) || /\d/.test(t) ? WILD : t;
      node = node.children.size >= MAX_CHILDREN && !node.children.has(key) ? this.child(node, WILD) : this.child(node, key);
    }
    return node;
  }

  private child(node: Node<E>, key: string): Node<E> {
    let c = node.children.get(key);
    if (!c) {
      c = { children: new Map(), clusters: [] };
      node.children.set(key, c);
    }
    return c;
  }

  /** All clusters, most frequent first (ties: earliest example first). */
  clusters(): DrainCluster<E>[] {
    const out: DrainCluster<E>[] = [];
    const walk = (n: Node<E>) => {
      out.push(...n.clusters);
      for (const c of n.children.values()) walk(c);
    };
    walk(this.root);
    return out.sort((a, b) => b.count - a.count || a.exampleOrder - b.exampleOrder);
  }
}

function similarity(template: string[], tokens: string[]): number {
  let same = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = template[i];
    if (t === tokens[i] || t === WILD) same++;
  }
  return same / tokens.length;
}

/** The printable template of a cluster. */
export function templateText(tokens: string[]): string {
  return tokens.join(' ');
}
