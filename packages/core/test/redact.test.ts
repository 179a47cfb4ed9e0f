import { inspect } from 'node:util';
import { printsAs, REDACTED, redactUrl } from '@switchyard/core/adapter';
import { describe, expect, it } from 'vitest';

class Adapter {
  readonly provider = 'test';
  readonly client = { headers: { authorization: 'Bearer sk-very-secret' } };
  readonly password = 'hunter2-very-secret';
  constructor() {
    printsAs(this, { provider: 'test', bucket: 'photos' });
  }
}

describe('printsAs', () => {
  it('prints the summary, never the fields, through inspect, JSON and String', () => {
    const adapter = new Adapter();
    const printed = [
      inspect(adapter, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
      inspect({ nested: { adapter } }, { depth: Number.POSITIVE_INFINITY }),
      JSON.stringify({ adapter }),
      String(adapter),
      `${adapter}`,
    ];
    for (const text of printed) expect(text).not.toMatch(/very-secret/);
    expect(printed[0]).toContain('Adapter');
    expect(printed[0]).toContain('photos');
    expect(JSON.parse(printed[2] ?? '')).toEqual({ adapter: { provider: 'test', bucket: 'photos' } });
    // The fields themselves still work.
    expect(adapter.password).toBe('hunter2-very-secret');
  });
});

describe('redactUrl', () => {
  it('hides the password of a connection URL', () => {
    expect(redactUrl('postgres://app:s3cret@db:5432/main')).toBe(`postgres://app:${encodeURIComponent(REDACTED)}@db:5432/main`);
    expect(redactUrl('redis://cache:6379')).toBe('redis://cache:6379');
    expect(redactUrl('not a url with s3cret')).toBe(REDACTED);
  });
});
