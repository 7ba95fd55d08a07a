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
  const table = new Int32Array(capacity).fill(-1);
  const outA = new Float64Array(n);
  const outB = dims > 1 ? new Float64Array(n) : NONE;
  const outC = dims > 2 ? new Float64Array(n) : NONE;
  const weight = new Float64Array(n);
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
        outA[length] = va;
        if (dims > 1) outB[length] = vb;
        if (dims > 2) outC[length] = vc;
        weight[length] = w;
        rowOf[i] = length;
        length++;
        break;
      }
      if (outA[j] === va && (dims < 2 || outB[j] === vb) && (dims < 3 || outC[j] === vc)) {
        weight[j] += w;
        rowOf[i] = j;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  // Views, not copies: each large ArrayBuffer allocation nudges V8 towards a full collection.
  const out = [outA, outB, outC].slice(0, dims).map((col) => col.subarray(0, length));
  return { length, columns: out, weight: weight.subarray(0, length), rowOf };
}

/** Distinct values of a column and, per row, the index of its value. */
export function indexValues(values: Float64Array): { unique: Float64Array; index: Int32Array } {
  const collapsed = collapseRows([values]);
  return { unique: collapsed.columns[0], index: collapsed.rowOf };
}
