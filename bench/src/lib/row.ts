/** One line of the results table. */
export interface Row {
  /** Issue 7 row number (or `3`/`4` for the issue figures), e.g. `1`, `3b`. */
  id: string;
  what: string;
  /** Through the port; includes units. */
  port: string;
  anchor: string;
  /** `port ÷ anchor` as printed, or `—`. */
  ratio: string;
  target: string;
  /** `yes`, `NO`, or `n/a` (informational rows and rows not measured). */
  met: 'yes' | 'NO' | 'n/a';
  note?: string;
}

/** What a bench module returns; a module whose adapter is missing returns `notMeasured` rows. */
export type RowModule = () => Promise<Row[]>;

export function notMeasured(id: string, what: string, reason: string): Row {
  return { id, what, port: `not measured: ${reason}`, anchor: '—', ratio: '—', target: '—', met: 'n/a' };
}

/** `1 234/s` style rate. */
export function perSecond(value: number): string {
  return `${formatNumber(value)}/s`;
}

export function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-US');
  if (value >= 10) return value.toFixed(1);
  return value.toPrecision(3);
}

export function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;
}

export function ratioText(ratio: number): string {
  return ratio.toFixed(2);
}

/** A throughput row: met when `ratio ≥ minimum`. */
export function throughputRow(
  base: Pick<Row, 'id' | 'what' | 'note'>,
  result: { port: number; anchor: number; ratio: number },
  minimum: number,
  unit = perSecond,
): Row {
  return {
    ...base,
    port: unit(result.port),
    anchor: unit(result.anchor),
    ratio: ratioText(result.ratio),
    target: `≥ ${minimum}`,
    met: result.ratio >= minimum ? 'yes' : 'NO',
  };
}

/** Runs a module, turning a crash into one `not measured` row so the other rows still print. */
export async function safely(id: string, what: string, module: RowModule): Promise<Row[]> {
  try {
    return await module();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return [notMeasured(id, what, `failed: ${message.split('\n')[0]}`)];
  }
}
