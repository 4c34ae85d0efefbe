/** The pipeline: parse -> build -> model -> search, for one test (check) and for the verdict matrix. */
export * from './check.js';
export * from './matrix.js';
