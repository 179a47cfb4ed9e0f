/** Where reads go during dual-run. */
export type ReadMode = 'primary' | 'fallback' | 'compare';

/** One missing or invalid variable, with what it should look like. */
export interface ConfigProblem {
  variable: string;
  problem: string;
  expected: string;
}
