/**
 * Unit tests of src/platform/attrs. Expected values come from the Arm ARM's tables (B2, D8, D19),
 * restated here as an independent oracle (string patterns over the bits, literal tables) and as
 * hand-picked cases.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  combine, decodeStage1, decodeStage2, parseStage1, parseStage2, STAGE1_NAMES, STAGE2_NAMES,
} from '../src/platform/attrs/index.js';
import type { Combination, Features } from '../src/platform/attrs/index.js';
import { formatMemoryType } from '../src/platform/memory-type.js';
import type { MemoryType } from '../src/platform/memory-type.js';

// ---------------------------------------------------------------------------------------------
// The oracle. Types are written as short strings: 'D:nGnRE', 'N:<inner>/<outer>', or 'X' for
// "no type" (reserved / UNPREDICTABLE).

const DD = ['nGnRnE', 'nGnRE', 'nGRE', 'GRE'];

function show(t: MemoryType | null): string {
  if (t === null) return 'X';
  return t.type === 'Device' ? `D:${t.device}` : `N:${t.inner}/${t.outer}`;
}

/** A Normal nibble per the facts table, by pattern on its four bits. */
function oracleNibble(bits: string): string {
  if (bits === '0100') return 'NC';
  if (/^00(01|10|11)$/.test(bits)) return 'WT'; // Write-Through transient
  if (/^01(01|10|11)$/.test(bits)) return 'WB'; // Write-Back transient
  if (/^10..$/.test(bits)) return 'WT';
  if (/^11..$/.test(bits)) return 'WB';
  throw new Error(`oracle: no nibble ${bits}`);
}

function oracleS1(byte: number, f: Features): string {
  const b = byte.toString(2).padStart(8, '0');
  let m = /^0000(..)00$/.exec(b);
  if (m) return `D:${DD[parseInt(m[1]!, 2)]}`;
  m = /^0000(..)01$/.exec(b);
  if (m) return f.xs ? `D:${DD[parseInt(m[1]!, 2)]}` : 'X';
  if (/^0000..1.$/.test(b)) return 'X';
  if (byte === 0x40) return f.xs ? 'N:NC/NC' : 'X';
  if (byte === 0xa0) return f.xs ? 'N:WT/WT' : 'X';
  if (byte === 0xf0) return f.mte2 ? 'N:WB/WB' : 'X';
  if (/^....0000$/.test(b)) return 'X';
  return `N:${oracleNibble(b.slice(4))}/${oracleNibble(b.slice(0, 4))}`;
}

// Stage 2, FWB = 0, MemAttr 0..15 in order (inner/outer), from the facts table.
const S2_TABLE = [
  'D:nGnRnE', 'D:nGnRE', 'D:nGRE', 'D:GRE',
  'X', 'N:NC/NC', 'N:WT/NC', 'N:WB/NC',
  'X', 'N:NC/WT', 'N:WT/WT', 'N:WB/WT',
  'X', 'N:NC/WB', 'N:WT/WB', 'N:WB/WB',
];

function oracleS2(memAttr: number, f: Features): string {
  if (memAttr === 4 && f.mtePerm) return 'N:WB/WB';
  return S2_TABLE[memAttr]!;
}

/** Per-axis stricter Device: built letter by letter from the two names. */
function strictDevice(a: string, b: string): string {
  const axes = (k: string) => ({ nG: k.startsWith('nG'), nR: k.includes('nR'), nE: k.endsWith('nE') });
  const x = axes(a);
  const y = axes(b);
  return `${x.nG || y.nG ? 'nG' : 'G'}${x.nR || y.nR ? 'nR' : 'R'}${x.nE || y.nE ? 'nE' : 'E'}`;
}

const RANK = ['NC', 'WT', 'WB'];
function weaker(a: string, b: string): string {
  return RANK[Math.min(RANK.indexOf(a), RANK.indexOf(b))]!;
}

function oracleCombine(s1Attr: number, s2: number, fwb: boolean, f: Features): string {
  const a = oracleS1(s1Attr, f);
  if (a === 'X') return 'X';
  const s1Device = a.startsWith('D:');
  if (!fwb) {
    const b = oracleS2(s2, f);
    if (b === 'X') return 'X';
    if (s1Device && b.startsWith('D:')) return `D:${strictDevice(a.slice(2), b.slice(2))}`;
    if (s1Device) return a;
    if (b.startsWith('D:')) return b;
    const [ai, ao] = a.slice(2).split('/') as [string, string];
    const [bi, bo] = b.slice(2).split('/') as [string, string];
    return `N:${weaker(ai, bi)}/${weaker(ao, bo)}`;
  }
  if (s2 >= 8 || s2 === 0b100) return 'X';
  if (s2 < 4) return s1Device ? `D:${strictDevice(a.slice(2), DD[s2]!)}` : `D:${DD[s2]}`;
  if (s2 === 0b101) return s1Device ? a : 'N:NC/NC';
  if (s2 === 0b110) return 'N:WB/WB';
  return a; // 0b111
}

const FEATURE_SETS: readonly Features[] = [{}, { xs: true, mte2: true, mtePerm: true }, { xs: true }, { mte2: true }];

// ---------------------------------------------------------------------------------------------
// The sweep.

test('every stage-1 byte decodes as the oracle says, with a reason when there is no type', () => {
  for (const f of FEATURE_SETS) {
    for (let byte = 0; byte < 256; byte++) {
      const d = decodeStage1(byte, f);
      const want = oracleS1(byte, f);
      assert.equal(d.ok ? show(d.type) : 'X', want, `byte 0x${byte.toString(16)} features ${JSON.stringify(f)}`);
      if (d.ok) assert.ok(d.text.length > 0);
      else {
        assert.equal(d.problem, 'UNPREDICTABLE');
        assert.match(d.reason, new RegExp(`0x${byte.toString(16).padStart(2, '0')}`));
      }
    }
  }
});

test('every stage-2 MemAttr decodes as the oracle says, FWB off and on', () => {
  for (const f of FEATURE_SETS) {
    for (let m = 0; m < 16; m++) {
      const d = decodeStage2(m, false, f);
      const want = oracleS2(m, f);
      if (want === 'X') {
        assert.equal(d.ok, false, `MemAttr ${m}`);
        if (!d.ok) assert.equal(d.problem, 'reserved');
      } else {
        assert.ok(d.ok, `MemAttr ${m}`);
        const got = d.action.kind === 'device' ? `D:${d.action.device}`
          : d.action.kind === 'normal' ? `N:${d.action.inner}/${d.action.outer}` : d.action.kind;
        assert.equal(got, want, `MemAttr ${m}`);
      }
      const w = decodeStage2(m, true, f);
      const wantFwb = m >= 8 || m === 4 ? 'X' : m < 4 ? `D:${DD[m]}` : ['force-nc', 'force-wb', 'use-s1'][m - 5];
      const gotFwb = !w.ok ? 'X' : w.action.kind === 'device' ? `D:${w.action.device}` : w.action.kind;
      assert.equal(gotFwb, wantFwb, `FWB MemAttr ${m}`);
    }
  }
});

test('all 256 x 16 x 2 inputs give the oracle type, or null with a reason', () => {
  let typed = 0;
  let nulls = 0;
  for (const f of FEATURE_SETS) {
    for (const fwb of [false, true]) {
      for (let s1 = 0; s1 < 256; s1++) {
        for (let s2 = 0; s2 < 16; s2++) {
          const c = combine(s1, s2, fwb, { features: f });
          const where = `s1 0x${s1.toString(16)} s2 ${s2} fwb ${fwb} ${JSON.stringify(f)}`;
          assert.equal(show(c.effective), oracleCombine(s1, s2, fwb, f), where);
          assert.ok(c.rule.length > 0 && !c.rule.includes('\n'), where);
          if (c.effective === null) {
            nulls++;
            assert.equal(c.shareability, null, where);
            assert.ok(!c.s1.ok || !c.s2.ok, where);
            // One note per invalid stage, carrying its reason.
            if (!c.s1.ok) assert.ok(c.notes.some((n) => n.includes((c.s1 as { reason: string }).reason)), where);
            if (!c.s2.ok) assert.ok(c.notes.some((n) => n.includes((c.s2 as { reason: string }).reason)), where);
          } else {
            typed++;
            assert.ok(c.s1.ok && c.s2.ok, where);
            assert.notEqual(c.shareability, null, where);
          }
        }
      }
    }
  }
  assert.equal(typed + nulls, FEATURE_SETS.length * 256 * 16 * 2);
  assert.ok(typed > 0 && nulls > 0);
});

// ---------------------------------------------------------------------------------------------
// Stage 1, hand-picked.

function s1(byte: number, f?: Features): string {
  const d = decodeStage1(byte, f);
  return d.ok ? show(d.type) : `X:${d.problem}`;
}

test('stage 1 Device bytes', () => {
  assert.equal(s1(0x00), 'D:nGnRnE');
  assert.equal(s1(0x04), 'D:nGnRE');
  assert.equal(s1(0x08), 'D:nGRE');
  assert.equal(s1(0x0c), 'D:GRE');
});

test('stage 1 0b0000dd01 needs FEAT_XS', () => {
  assert.equal(s1(0x01), 'X:UNPREDICTABLE');
  assert.equal(s1(0x01, { xs: true }), 'D:nGnRnE');
  const d = decodeStage1(0x05, { xs: true });
  assert.ok(d.ok && d.xs0 === true && d.text.includes('XS=0'));
  assert.equal(s1(0x0d, { xs: true }), 'D:GRE');
  const plain = decodeStage1(0x04);
  assert.ok(plain.ok && plain.xs0 === undefined);
});

test('stage 1 0b0000dd1x is UNPREDICTABLE even with every feature', () => {
  for (const b of [0x02, 0x03, 0x06, 0x07, 0x0a, 0x0b, 0x0e, 0x0f]) {
    assert.equal(s1(b, { xs: true, mte2: true, mtePerm: true }), 'X:UNPREDICTABLE', `0x${b.toString(16)}`);
  }
});

test('stage 1 0x40 and 0xa0 need FEAT_XS', () => {
  assert.equal(s1(0x40), 'X:UNPREDICTABLE');
  assert.equal(s1(0x40, { xs: true }), 'N:NC/NC');
  assert.equal(s1(0xa0), 'X:UNPREDICTABLE');
  assert.equal(s1(0xa0, { xs: true }), 'N:WT/WT');
  const d = decodeStage1(0x40, { xs: true });
  assert.ok(d.ok && d.xs0 === true);
  assert.equal(s1(0x40, { mte2: true }), 'X:UNPREDICTABLE');
});

test('stage 1 0xf0 needs FEAT_MTE2 and is tagged', () => {
  assert.equal(s1(0xf0), 'X:UNPREDICTABLE');
  assert.equal(s1(0xf0, { xs: true }), 'X:UNPREDICTABLE');
  const d = decodeStage1(0xf0, { mte2: true });
  assert.ok(d.ok);
  assert.equal(show(d.type), 'N:WB/WB');
  assert.equal(d.tagged, true);
  const untagged = decodeStage1(0xff);
  assert.ok(untagged.ok && untagged.tagged === undefined);
});

test('stage 1 other xxxx0000 bytes are UNPREDICTABLE', () => {
  for (const b of [0x10, 0x20, 0x30, 0x50, 0x80, 0xb0, 0xc0, 0xe0]) {
    assert.equal(s1(b, { xs: true, mte2: true }), 'X:UNPREDICTABLE', `0x${b.toString(16)}`);
  }
  const d = decodeStage1(0x10);
  assert.ok(!d.ok && d.reason.includes('0x10'));
});

test('stage 1 Normal bytes: 0x44, 0xbb, 0xff, 0x4f, 0xf4', () => {
  assert.equal(s1(0x44), 'N:NC/NC');
  assert.equal(s1(0xbb), 'N:WT/WT');
  assert.equal(s1(0xff), 'N:WB/WB');
  assert.equal(s1(0x4f), 'N:WB/NC'); // outer NC, inner WB
  assert.equal(s1(0xf4), 'N:NC/WB'); // outer WB, inner NC
  const d = decodeStage1(0x4f);
  assert.ok(d.ok);
  assert.equal(d.text.startsWith('Normal(iWB,oNC)'), true);
});

test('stage 1 transient and allocation hints do not change the type but stay in the text', () => {
  // 0x11: WT transient, write-allocate only; 0x55: WB transient, write-allocate; 0x88: WT no-allocate.
  assert.equal(s1(0x11), 'N:WT/WT');
  assert.equal(s1(0x55), 'N:WB/WB');
  assert.equal(s1(0x77), 'N:WB/WB');
  assert.equal(s1(0x88), 'N:WT/WT');
  assert.equal(s1(0xcc), 'N:WB/WB');
  const t = decodeStage1(0x56);
  assert.ok(t.ok && t.hints !== undefined);
  assert.deepEqual(t.hints.inner, { transient: true, readAllocate: true, writeAllocate: false });
  assert.deepEqual(t.hints.outer, { transient: true, readAllocate: false, writeAllocate: true });
  assert.match(t.text, /transient/);
  const nt = decodeStage1(0x8c);
  assert.ok(nt.ok && nt.hints !== undefined);
  assert.deepEqual(nt.hints.inner, { transient: false, readAllocate: false, writeAllocate: false });
  assert.match(nt.text, /no-allocate/);
  const nc = decodeStage1(0x44);
  assert.ok(nc.ok && nc.hints !== undefined && nc.hints.inner === null && nc.hints.outer === null);
});

test('decoders reject numbers outside their field with a RangeError naming the value', () => {
  assert.throws(() => decodeStage1(0x100), (e) => e instanceof RangeError && /256/.test(e.message));
  assert.throws(() => decodeStage1(-1), RangeError);
  assert.throws(() => decodeStage1(1.5), RangeError);
  assert.throws(() => decodeStage2(16, false), (e) => e instanceof RangeError && /16/.test(e.message));
  assert.throws(() => combine(0, 0, false, { s1Shareability: 'XSH' as never }), /XSH/);
});

// ---------------------------------------------------------------------------------------------
// Stage 2, hand-picked.

test('stage 2 reserved encodings without FWB: 0x4, 0x8, 0xc', () => {
  for (const m of [0x4, 0x8, 0xc]) {
    const d = decodeStage2(m, false);
    assert.ok(!d.ok && d.problem === 'reserved', `MemAttr ${m}`);
  }
  // FEAT_MTE_PERM gives 0b0100 a meaning (FWB = 0): Normal WB NoTagAccess.
  const d = decodeStage2(0x4, false, { mtePerm: true });
  assert.ok(d.ok && d.noTagAccess === true);
  assert.deepEqual(d.action, { kind: 'normal', inner: 'WB', outer: 'WB' });
  assert.equal(decodeStage2(0x8, false, { mtePerm: true }).ok, false);
});

test('stage 2 Linux encodings without FWB', () => {
  assert.deepEqual(decodeStage2(0x1, false).ok && decodeStage2(0x1, false), {
    ok: true, fwb: false, action: { kind: 'device', device: 'nGnRE' }, text: 'Device-nGnRE',
  });
  const nc = decodeStage2(0x5, false);
  assert.ok(nc.ok);
  assert.deepEqual(nc.action, { kind: 'normal', inner: 'NC', outer: 'NC' });
  const mixed = decodeStage2(0x7, false); // outer NC, inner WB
  assert.ok(mixed.ok);
  assert.deepEqual(mixed.action, { kind: 'normal', inner: 'WB', outer: 'NC' });
});

test('stage 2 with FWB: 0b100 reserved, bit 3 set is a problem', () => {
  const r = decodeStage2(0b100, true);
  assert.ok(!r.ok && r.problem === 'reserved');
  for (const m of [0x8, 0x9, 0xd, 0xe, 0xf]) {
    const d = decodeStage2(m, true);
    assert.ok(!d.ok, `MemAttr ${m}`);
    assert.match(d.ok ? '' : d.reason, /RES0/);
  }
  const wb = decodeStage2(0b110, true);
  assert.ok(wb.ok && wb.action.kind === 'force-wb');
});

// ---------------------------------------------------------------------------------------------
// Combining, hand-picked.

function eff(s1Attr: number, s2: number, fwb: boolean, f?: Features): string {
  return show(combine(s1Attr, s2, fwb, { features: f }).effective);
}

test('FWB=0: Device with Normal gives Device', () => {
  assert.equal(eff(0x44, 0x1, false), 'D:nGnRE'); // guest ioremap_wc over KVM <= 6.8 stage 2
  assert.equal(eff(0xff, 0x0, false), 'D:nGnRnE');
  assert.equal(eff(0x04, 0x5, false), 'D:nGnRE'); // guest ioremap over stage-2 Normal-NC
  assert.equal(eff(0x0c, 0xf, false), 'D:GRE');
});

test('FWB=0: two Device subtypes combine stricter per axis', () => {
  assert.equal(eff(0x08, 0x1, false), 'D:nGnRE'); // nGRE x nGnRE
  assert.equal(eff(0x0c, 0x2, false), 'D:nGRE'); // GRE x nGRE
  assert.equal(eff(0x00, 0x3, false), 'D:nGnRnE');
  assert.equal(eff(0x0c, 0x3, false), 'D:GRE');
});

test('FWB=0: Normal with Normal, the weaker cacheability per level', () => {
  assert.equal(eff(0xff, 0x5, false), 'N:NC/NC');
  assert.equal(eff(0xff, 0xa, false), 'N:WT/WT');
  assert.equal(eff(0xbb, 0xf, false), 'N:WT/WT');
  assert.equal(eff(0x44, 0xf, false), 'N:NC/NC');
  assert.equal(eff(0xff, 0x7, false), 'N:WB/NC'); // stage 2 outer NC, inner WB
  assert.equal(eff(0x4f, 0xd, false), 'N:NC/NC'); // s1 iWB oNC, s2 iNC oWB
  assert.equal(eff(0xbf, 0xe, false), 'N:WT/WT'); // s1 iWB oWT, s2 iWT oWB
  const c = combine(0x77, 0xf, false); // WB transient stays WB; hints from stage 1
  assert.equal(show(c.effective), 'N:WB/WB');
  assert.ok(c.notes.some((n) => /hints/.test(n)));
});

test('FWB 0b0dd: stricter per axis with a stage-1 Device (Arm pseudocode, not QEMU)', () => {
  assert.equal(eff(0x08, 0b001, true), 'D:nGnRE'); // nGRE x nGnRE
  assert.equal(eff(0x00, 0b011, true), 'D:nGnRnE'); // nGnRnE x GRE
  const c = combine(0x00, 0b011, true);
  assert.ok(c.notes.some((n) => /QEMU/.test(n)), 'the QEMU difference is explained');
  assert.ok(!combine(0x0c, 0b001, true).notes.some((n) => /QEMU/.test(n)), 'no QEMU note when both agree');
  assert.equal(eff(0x44, 0b001, true), 'D:nGnRE'); // stage-1 Normal becomes stage 2's subtype
  assert.equal(eff(0xff, 0b010, true), 'D:nGRE');
});

test('FWB 0b101: stage-1 Device stays, stage-1 Normal becomes Normal-NC', () => {
  assert.equal(eff(0x04, 0b101, true), 'D:nGnRE');
  assert.equal(eff(0x0c, 0b101, true), 'D:GRE');
  assert.equal(eff(0xff, 0b101, true), 'N:NC/NC');
  assert.equal(eff(0x4f, 0b101, true), 'N:NC/NC');
});

test('FWB 0b110: Normal WB forced, even over a stage-1 Device', () => {
  assert.equal(eff(0x00, 0b110, true), 'N:WB/WB');
  assert.equal(eff(0x44, 0b110, true), 'N:WB/WB');
  assert.equal(eff(0xbb, 0b110, true), 'N:WB/WB');
});

test('FWB 0b111: stage 1 unchanged', () => {
  assert.equal(eff(0x08, 0b111, true), 'D:nGRE');
  assert.equal(eff(0x4f, 0b111, true), 'N:WB/NC');
  assert.equal(eff(0x44, 0b111, true), 'N:NC/NC');
});

test('an invalid stage gives null with a reason, even when FWB would force a type', () => {
  const c = combine(0x02, 0b110, true);
  assert.equal(c.effective, null);
  assert.equal(c.shareability, null);
  assert.match(c.rule, /UNPREDICTABLE/);
  const r = combine(0xff, 0x8, false);
  assert.equal(r.effective, null);
  assert.match(r.rule, /reserved/);
  assert.ok(r.notes.some((n) => n.includes('0b1000')));
});

test('shareability: Device and Normal-NC are OSH, otherwise the more shareable stage', () => {
  const sh = (s1Attr: number, s2: number, fwb: boolean, a?: 'NSH' | 'ISH' | 'OSH', b?: 'NSH' | 'ISH' | 'OSH') =>
    combine(s1Attr, s2, fwb, { s1Shareability: a, s2Shareability: b }).shareability;
  assert.equal(sh(0x04, 0x1, false, 'NSH', 'NSH'), 'OSH');
  assert.equal(sh(0xff, 0x1, false, 'ISH', 'ISH'), 'OSH'); // Normal over Device stage 2
  assert.equal(sh(0xff, 0x5, false, 'NSH', 'NSH'), 'OSH'); // Normal-NC
  assert.equal(sh(0xff, 0xf, false), 'ISH'); // defaults: both ISH
  assert.equal(sh(0xff, 0xf, false, 'NSH', 'ISH'), 'ISH');
  assert.equal(sh(0xff, 0xf, false, 'OSH', 'ISH'), 'OSH');
  assert.equal(sh(0xff, 0xf, false, 'NSH', 'NSH'), 'NSH');
  assert.equal(sh(0x4f, 0xf, false, 'NSH', 'ISH'), 'ISH'); // iWB oNC is cacheable: not forced OSH
  assert.equal(sh(0x00, 0b110, true, 'NSH', 'NSH'), 'NSH'); // forced WB over Device
  assert.equal(sh(0xff, 0b101, true, 'ISH', 'ISH'), 'OSH');
});

// ---------------------------------------------------------------------------------------------
// Names.

test('stage-1 names: architecture, herd, Linux API and MAIR index names', () => {
  const want: Record<string, number> = {
    'Device-nGnRnE': 0x00, 'Device-nGnRE': 0x04, 'Device-nGRE': 0x08, 'Device-GRE': 0x0c,
    'Normal-NC': 0x44, 'Normal-WT': 0xbb, 'Normal-WB': 0xff,
    ioremap: 0x04, ioremap_np: 0x00, ioremap_wc: 0x44, ioremap_cache: 0xff,
    pgprot_device: 0x04, pgprot_noncached: 0x00, pgprot_writecombine: 0x44, pgprot_dmacoherent: 0x44,
    PAGE_KERNEL: 0xff, pci_remap_cfgspace: 0x00,
    MT_NORMAL: 0xff, MT_NORMAL_TAGGED: 0xf0, MT_NORMAL_NC: 0x44, MT_DEVICE_nGnRnE: 0x00, MT_DEVICE_nGnRE: 0x04,
    '(Normal,iNC,oNC)': 0x44, 'Normal,iWB,oWB': 0xff, '(Device-GRE)': 0x0c, '(Normal, iWB, oNC)': 0x4f,
    'Normal(iWB,oNC)': 0x4f, '(Normal,oWT,iWB)': 0xbf, Normal: 0xff,
    '0x44': 0x44, '0b01000100': 0x44, '68': 68, '0xFF': 0xff, ' 0x04 ': 0x04,
  };
  for (const [text, attr] of Object.entries(want)) {
    assert.equal(parseStage1(text), attr, text);
    assert.equal(parseStage1(text.toUpperCase()), attr, text.toUpperCase());
    assert.equal(parseStage1(text.toLowerCase()), attr, text.toLowerCase());
  }
  for (const n of STAGE1_NAMES) {
    assert.equal(want[n.name], n.attr, `STAGE1_NAMES ${n.name} is tested above`);
    assert.ok(n.meaning.length > 0);
  }
});

test('stage-1 names round-trip through formatMemoryType for every valid byte', () => {
  for (let b = 0; b < 256; b++) {
    const d = decodeStage1(b, { xs: true, mte2: true });
    if (!d.ok) continue;
    const back = decodeStage1(parseStage1(formatMemoryType(d.type)));
    assert.ok(back.ok);
    assert.deepEqual(back.type, d.type, `0x${b.toString(16)}`);
  }
});

test('stage-1 bad text is a RangeError naming it', () => {
  for (const bad of ['0x100', '256', 'foo', '', '0x', '-1', '1e2', '(Normal,iNC)', '(Normal,iXX,oNC)', 'Device-nGnRE,iNC', '(Normal,iNC,iWB,oNC)', '(Normal,ISH)']) {
    assert.throws(() => parseStage1(bad), (e) => e instanceof RangeError && e.message.includes(`'${bad}'`), bad);
  }
});

test('stage-2 names encode for the FWB setting', () => {
  const want: Record<string, [number | null, number | null]> = {
    'Device-nGnRnE': [0x0, 0x0], 'Device-nGnRE': [0x1, 0x1], 'Device-nGRE': [0x2, 0x2], 'Device-GRE': [0x3, 0x3],
    'Normal-NC': [0x5, 0x5], 'Normal-WT': [0xa, null], 'Normal-WB': [0xf, 0x6], 'Use-S1': [null, 0x7],
    MT_S2_DEVICE_nGnRE: [0x1, null], MT_S2_NORMAL_NC: [0x5, null], MT_S2_NORMAL: [0xf, null],
    MT_S2_FWB_DEVICE_nGnRE: [null, 0x1], MT_S2_FWB_NORMAL_NC: [null, 0x5], MT_S2_FWB_NORMAL: [null, 0x6],
    '(Normal,iNC,oNC)': [0x5, 0x5], 'Normal(iWB,oNC)': [0x7, null], '(Normal,iWT,oWB)': [0xe, null], '(Device-GRE)': [0x3, 0x3],
    '0x5': [0x5, 0x5], '0b1111': [0xf, 0xf], '15': [0xf, 0xf],
  };
  for (const [text, [plain, withFwb]] of Object.entries(want)) {
    for (const [fwb, expected] of [[false, plain], [true, withFwb]] as const) {
      for (const t of [text, text.toLowerCase()]) {
        if (expected === null) {
          assert.throws(() => parseStage2(t, fwb), (e) => e instanceof RangeError && /FWB/.test(e.message) && e.message.includes(`'${t}'`), `${t} fwb ${fwb}`);
        } else {
          assert.equal(parseStage2(t, fwb), expected, `${t} fwb ${fwb}`);
        }
      }
    }
  }
  for (const n of STAGE2_NAMES) {
    assert.deepEqual([n.memAttr, n.fwbMemAttr], want[n.name], `STAGE2_NAMES ${n.name}`);
    assert.equal(n.missing !== undefined, n.memAttr === null || n.fwbMemAttr === null, n.name);
  }
});

test('stage-2 names mean what they say once decoded', () => {
  const typeOf = (text: string) => {
    const d = decodeStage2(parseStage2(text, false), false);
    return d.ok ? d.action : null;
  };
  assert.deepEqual(typeOf('Normal-WB'), { kind: 'normal', inner: 'WB', outer: 'WB' });
  assert.deepEqual(typeOf('MT_S2_DEVICE_nGnRE'), { kind: 'device', device: 'nGnRE' });
  const fwb = decodeStage2(parseStage2('Normal-WB', true), true);
  assert.ok(fwb.ok && fwb.action.kind === 'force-wb');
  const nc = decodeStage2(parseStage2('MT_S2_FWB_NORMAL_NC', true), true);
  assert.ok(nc.ok && nc.action.kind === 'force-nc');
});

test('stage-2 bad text is a RangeError naming it', () => {
  for (const bad of ['0x10', '16', 'bogus', '0b10000', '']) {
    assert.throws(() => parseStage2(bad, false), (e) => e instanceof RangeError && e.message.includes(`'${bad}'`), bad);
  }
  assert.throws(() => parseStage2('Normal(iWT,oNC)', true), /no FWB encoding/);
});

test('the starting case: guest choice over stage-2 Normal-NC, and over stage-2 Device-nGnRE', () => {
  const guestOver = (guest: string, s2: string, fwb: boolean): Combination =>
    combine(parseStage1(guest), parseStage2(s2, fwb), fwb);
  for (const fwb of [false, true]) {
    assert.equal(show(guestOver('ioremap', 'Normal-NC', fwb).effective), 'D:nGnRE');
    assert.equal(show(guestOver('ioremap_np', 'Normal-NC', fwb).effective), 'D:nGnRnE');
    assert.equal(show(guestOver('ioremap_wc', 'Normal-NC', fwb).effective), 'N:NC/NC');
    assert.equal(show(guestOver('ioremap_cache', 'Normal-NC', fwb).effective), 'N:NC/NC');
    assert.equal(show(guestOver('ioremap_wc', 'Device-nGnRE', fwb).effective), 'D:nGnRE');
    assert.equal(show(guestOver('ioremap_np', 'Device-nGnRE', fwb).effective), 'D:nGnRnE');
  }
});
