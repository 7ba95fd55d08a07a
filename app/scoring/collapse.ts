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

/** Open-addressing hash on exact coordinates; keeps first-seen order so results are deterministic. */
export function collapseRows(columns: ArrayLike<number>[], weights?: ArrayLike<number>): WeightedRows {
  const n = columns.length === 0 ? 0 : columns[0].length;
  const dims = columns.length;
  let capacity = 16;
  while (capacity < n * 2) capacity *= 2;
  const mask = capacity - 1;
  const table = new Int32Array(capacity).fill(-1);
  const out = columns.map(() => new Float64Array(n));
  const weight = new Float64Array(n);
  const rowOf = new Int32Array(n);
  let length = 0;
  for (let i = 0; i < n; i++) {
    let h = 0x811c9dc5;
    for (let k = 0; k < dims; k++) h = mixDouble(h, columns[k][i]);
    let slot = h & mask;
    for (;;) {
      const j = table[slot];
      if (j === -1) {
        table[slot] = length;
        for (let k = 0; k < dims; k++) out[k][length] = columns[k][i];
        weight[length] = weights ? weights[i] : 1;
        rowOf[i] = length;
        length++;
        break;
      }
      let same = true;
      for (let k = 0; k < dims && same; k++) same = out[k][j] === columns[k][i];
      if (same) {
        weight[j] += weights ? weights[i] : 1;
        rowOf[i] = j;
        break;
      }
      slot = (slot + 1) & mask;
    }
  }
  return {
    length,
    columns: out.map((c) => c.slice(0, length)),
    weight: weight.slice(0, length),
    rowOf,
  };
}

/** Distinct values of a column and, per row, the index of its value. */
export function indexValues(values: Float64Array): { unique: Float64Array; index: Int32Array } {
  const collapsed = collapseRows([values]);
  return { unique: collapsed.columns[0], index: collapsed.rowOf };
}
