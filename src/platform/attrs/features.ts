/**
 * Optional architecture features that change how some attribute encodings decode.
 */

/**
 * CPU features that give meaning to otherwise UNPREDICTABLE or reserved encodings. Every field
 * defaults to `false`: the strictest reading, where such encodings are reported as problems.
 */
export interface Features {
  /** FEAT_XS: MAIR bytes 0b0000dd01, 0x40 and 0xa0 describe memory with the XS attribute 0. */
  readonly xs?: boolean;
  /** FEAT_MTE2: MAIR byte 0xf0 is Tagged Normal Write-Back. */
  readonly mte2?: boolean;
  /** FEAT_MTE_PERM: stage-2 MemAttr 0b0100 (FWB = 0) is Normal Write-Back, NoTagAccess. */
  readonly mtePerm?: boolean;
}

/** The features with every default filled in. @internal */
export interface ResolvedFeatures {
  readonly xs: boolean;
  readonly mte2: boolean;
  readonly mtePerm: boolean;
}

/** Fills in the defaults (all `false`). @internal */
export function resolveFeatures(features: Features | undefined): ResolvedFeatures {
  return {
    xs: features?.xs === true,
    mte2: features?.mte2 === true,
    mtePerm: features?.mtePerm === true,
  };
}
