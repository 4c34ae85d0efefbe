/**
 * General-purpose register names: `X0`..`X30`, `W0`..`W30`, `XZR`, `WZR`, `SP`, `WSP`
 * (case-insensitive). Arm ARM C1.2.5 "Register names": Xn is the 64-bit view and Wn the 32-bit
 * view of register n; encoding 31 is the zero register or the stack pointer, by instruction
 * (here they are told apart by name: SP has its own index).
 * @internal
 */
import { SP, ZR, type Reg } from '../ast.js';
import type { Cursor, Token } from './tokens.js';

const X = 88; // X
const W = 87; // W
const x = 120;
const w = 119;

/** Interned registers, so the parser allocates none. */
const WIDE: readonly Reg[] = Array.from({ length: 33 }, (_, index) => Object.freeze({ index, wide: true }));
const NARROW: readonly Reg[] = Array.from({ length: 33 }, (_, index) => Object.freeze({ index, wide: false }));

/** The register a name denotes, or undefined if it is not a register name. */
export function registerFromName(name: string): Reg | undefined {
  const upper = name.length <= 3 ? name.toUpperCase() : '';
  if (upper === 'SP') return WIDE[SP];
  if (upper === 'WSP') return NARROW[SP];
  const c = name.charCodeAt(0);
  const wide = c === X || c === x;
  if (!wide && c !== W && c !== w) return undefined;
  const views = wide ? WIDE : NARROW;
  const n = name.length;
  if (n === 3 && (name[1] === 'Z' || name[1] === 'z') && (name[2] === 'R' || name[2] === 'r')) return views[ZR];
  if (n < 2 || n > 3) return undefined;
  // No leading zero ("X01"), decimal digits only, 0..30.
  if (n === 3 && name.charCodeAt(1) === 48) return undefined;
  let value = 0;
  for (let i = 1; i < n; i++) {
    const d = name.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return undefined;
    value = value * 10 + d;
  }
  return value <= 30 ? views[value] : undefined;
}

/** Does the name look like an attempt at a register (X/W then digits), so "bad register" fits? */
function looksLikeRegister(name: string): boolean {
  const c = name.charCodeAt(0);
  if (c !== X && c !== x && c !== W && c !== w) return false;
  const d = name.charCodeAt(1);
  return name.length >= 2 && d >= 48 && d <= 57;
}

/** `V0.4S`, `Z1.S`, `Q2`, `D3`, `P0`...: FP/SIMD, SVE and predicate registers. */
const VECTOR_REGISTER = /^[VZQDSHBP][0-9]/i;

function looksLikeVectorRegister(name: string): boolean {
  return VECTOR_REGISTER.test(name);
}

/** Consume a register operand; `what` names it in messages ("a register", "an X register"). */
export function expectRegister(cur: Cursor, what = 'a register'): { reg: Reg; token: Token } {
  const t = cur.next(what);
  if (t.kind === 'ident') {
    const reg = registerFromName(t.text);
    if (reg !== undefined) return { reg, token: t };
    if (looksLikeRegister(t.text)) cur.failAt(t, `bad register '${t.text}'`);
    if (looksLikeVectorRegister(t.text)) cur.failCode('unsupported', t, `SIMD/SVE register '${t.text}' is not supported`);
    // System registers (`ELR_EL1`, `TFSR_ELx`) belong to features not modelled yet.
    if (t.text.toUpperCase().includes('_EL')) cur.failCode('unsupported', t, `system register '${t.text}' is not supported`);
  }
  cur.failAt(t, `expected ${what}, found '${t.text}'`);
}

/** A register name as written in messages. */
export function registerName(reg: Reg): string {
  const p = reg.wide ? 'X' : 'W';
  if (reg.index === SP) return reg.wide ? 'SP' : 'WSP';
  return reg.index === ZR ? `${p}ZR` : `${p}${reg.index}`;
}
