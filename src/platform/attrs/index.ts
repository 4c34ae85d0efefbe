/**
 * attrs: the memory type an access gets from a stage-1 attribute (MAIR byte) and a stage-2
 * MemAttr, with HCR_EL2.FWB off or on — every encoding, reserved and UNPREDICTABLE ones reported.
 */
export type { Features } from './features.js';
export type { EncodingProblem, LevelHints, NormalHints, Stage1Decode } from './stage1.js';
export { decodeStage1 } from './stage1.js';
export type { Stage2Action, Stage2Decode } from './stage2.js';
export { decodeStage2 } from './stage2.js';
export type { Combination, CombineOptions } from './combine.js';
export { combine } from './combine.js';
export type { Stage1Name } from './stage1-names.js';
export { STAGE1_NAMES, parseStage1 } from './stage1-names.js';
export type { Stage2Name } from './stage2-names.js';
export { STAGE2_NAMES, parseStage2 } from './stage2-names.js';
