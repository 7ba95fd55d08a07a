/** Identical summary rows merged into one weighted row (struct of arrays, no per-row objects). */
export interface WeightedRows {
  length: number;
  /** columns[k][i] is the k-th coordinate of row i. */
  columns: Float64Array[];
  weight: Float64Array;
  /** For each input row, the index of the merged row it went into. */
  rowOf: Int32Array;
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);

function mixDouble(h: number, v: number): number {
  bits[0] = v === 0 ? 0 : v;
  h = Math.imul(h ^ words[0], 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15) ^ words[1], 0x85ebca77);
  return h ^ (h >>> 13);
}

const NONE = new Float64Array(0);

// Grow-only scratch for the hash table and first-seen rows. Every large ArrayBuffer allocation counts
// towards V8's external-memory trigger for a full collection, which on a heap holding a million
// customers costs half a second; reusing these buffers avoids most of those collections.
let tableScratch = new Int32Array(0);
let firstScratch = new Int32Array(0);
let weightScratch = new Float64Array(0);

/**
 * Open-addressing hash on exact coordinates (up to three columns); keeps first-seen order so results
 * are deterministic. Columns are Float64Arrays so the hot loop stays monomorphic.
 */
export function collapseRows(columns: readonly Float64Array[], weights?: Float64Array): WeightedRows {
  const dims = columns.length;
  if (dims < 1 || dims > 3) throw new RangeError("collapseRows takes one to three columns");
  const n = columns[0].length;
  const a = columns[0];
  const b = dims > 1 ? columns[1] : NONE;
  const c = dims > 2 ? columns[2] : NONE;
  let capacity = 16;
  while (capacity < n * 2) capacity *= 2;
  const mask = capacity - 1;
  if (tableScratch.length < capacity) tableScratch = new Int32Array(capacity);
  if (firstScratch.length < n) {
    firstScratch = new Int32Array(n);
    weightScratch = new Float64Array(n);
  }
  const table = tableScratch.subarray(0, capacity).fill(-1);
  const first = firstScratch;
  const weight = weightScratch;
  const rowOf = new Int32Array(n);
  let length = 0;
  for (let i = 0; i < n; i++) {
    const va = a[i];
    const vb = dims > 1 ? b[i] : 0;
    const vc = dims > 2 ? c[i] : 0;
    let h = mixDouble(0x811c9dc5, va);
    if (dims > 1) h = mixDouble(h, vb);
    if (dims > 2) h = mixDouble(h, vc);
    let slot = h & mask;
    const w = weights === undefined ? 1 : weights[i];
    for (;;) {
      const j = table[slot];
      if (j === -1) {
        table[slot] = length;
        first[length] = i;
        weight[length] = w;
        rowOf[i] = length;
        length++;
        break;
      }
      const f = first[j];
      if (a[f] === va && (dims < 2 || b[f] === vb) && (dims < 3 || c[f] === vc)) {
        weight[j] += w;
        rowOf[i] = j;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  const out: Float64Array[] = [];
  for (const col of [a, b, c].slice(0, dims)) {
    const merged = new Float64Array(length);
    for (let k = 0; k < length; k++) merged[k] = col[first[k]];
    out.push(merged);
  }
  return { length, columns: out, weight: weight.slice(0, length), rowOf };
}

/** Distinct values of a column and, per row, the index of its value. */
export function indexValues(values: Float64Array): { unique: Float64Array; index: Int32Array } {
  const collapsed = collapseRows([values]);
  return { unique: collapsed.columns[0], index: collapsed.rowOf };
}
