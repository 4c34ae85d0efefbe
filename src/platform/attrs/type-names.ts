/**
 * Memory types written as names: `Device-nGnRE`, `Normal-NC`, `Normal(iWB,oNC)` (the form
 * formatMemoryType prints) and herd7's attribute lists `(Normal,iNC,oNC)`, `Normal,iWB,oWB`,
 * `(Device-GRE)`. Matching ignores case and spaces. @internal
 */
import { device, normal } from '../memory-type.js';
import type { Cacheability, DeviceKind, MemoryType } from '../memory-type.js';

const DEVICE_KINDS: readonly DeviceKind[] = ['nGnRnE', 'nGnRE', 'nGRE', 'GRE'];
const LEVELS: readonly Cacheability[] = ['NC', 'WT', 'WB'];

function deviceKind(token: string): DeviceKind | undefined {
  return DEVICE_KINDS.find((k) => `device-${k.toLowerCase()}` === token);
}

function level(token: string): Cacheability | undefined {
  return LEVELS.find((c) => c.toLowerCase() === token);
}

/**
 * The memory type a type name or herd attribute list denotes; `undefined` when `text` is not
 * written in that form at all. A list that is malformed (unknown token, one level missing,
 * a level given twice) is a RangeError naming the token.
 */
export function parseTypeName(text: string): MemoryType | undefined {
  let t = text.replace(/\s+/g, '').toLowerCase();
  // `(A,B,C)` and `A,B,C` are the same list; `Normal(iWB,oNC)` is `Normal,iWB,oNC`.
  if (t.startsWith('(') && t.endsWith(')')) t = t.slice(1, -1);
  else if (t.startsWith('normal(') && t.endsWith(')')) t = `normal,${t.slice('normal('.length, -1)}`;
  const [head, ...rest] = t.split(',');
  if (head === undefined) return undefined;

  const kind = deviceKind(head);
  if (kind !== undefined) {
    if (rest.length > 0) throw new RangeError(`'${text}': a Device type takes no cacheability (got '${rest.join(',')}')`);
    return device(kind);
  }
  const single = head.startsWith('normal-') ? level(head.slice('normal-'.length)) : undefined;
  if (single !== undefined) {
    if (rest.length > 0) throw new RangeError(`'${text}': Normal-${single} already gives both levels (got '${rest.join(',')}')`);
    return normal(single);
  }
  if (head !== 'normal') return undefined;

  let inner: Cacheability | undefined;
  let outer: Cacheability | undefined;
  for (const token of rest) {
    const c = level(token.slice(1));
    if (c === undefined || (token[0] !== 'i' && token[0] !== 'o')) {
      throw new RangeError(`'${text}': unknown attribute '${token}' (expected iNC, iWT, iWB, oNC, oWT or oWB)`);
    }
    if (token[0] === 'i') {
      if (inner !== undefined) throw new RangeError(`'${text}': inner cacheability given twice`);
      inner = c;
    } else {
      if (outer !== undefined) throw new RangeError(`'${text}': outer cacheability given twice`);
      outer = c;
    }
  }
  // Plain `Normal` is taken as ordinary memory: Write-Back on both levels.
  if (inner === undefined && outer === undefined) return normal('WB');
  if (inner === undefined || outer === undefined) {
    throw new RangeError(`'${text}': give both the inner (iNC/iWT/iWB) and the outer (oNC/oWT/oWB) cacheability`);
  }
  return normal(inner, outer);
}
