const DAY_MS = 24 * 3600 * 1000;

/**
 * The week a moment belongs to, as the date of its Monday (ISO 8601 weeks start on Monday), in
 * UTC: `2026-11-04T10:00Z` → `2026-11-02`. Matches are computed and shown per week.
 */
export function weekOf(moment: Date): string {
  if (Number.isNaN(moment.getTime())) throw new RangeError('weekOf needs a valid date.');
  const day = Date.UTC(moment.getUTCFullYear(), moment.getUTCMonth(), moment.getUTCDate());
  const sinceMonday = (new Date(day).getUTCDay() + 6) % 7;
  return new Date(day - sinceMonday * DAY_MS).toISOString().slice(0, 10);
}
