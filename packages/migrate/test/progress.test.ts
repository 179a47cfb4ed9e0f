import { Progress } from '@switchyard/migrate';
import { describe, expect, it } from 'vitest';

describe('Progress', () => {
  it('redraws one bar with rate and ETA in place on a terminal', () => {
    let out = '';
    let now = 0;
    const progress = new Progress({
      label: 'copy objects',
      total: 100,
      sink: {
        write: (t) => {
          out += t;
        },
        isTTY: true,
      },
      now: () => now,
    });
    now = 10_000;
    progress.tick(50, 'copied 50');
    expect(out).toBe('\r\u001b[2Kcopy objects [############------------] 50/100 5.0/s ETA 0:10 (copied 50)');
    progress.finish();
    expect(out.endsWith('\n')).toBe(true);
  });

  it('writes plain lines, at most one every few seconds, when the output is not a terminal', () => {
    const lines: string[] = [];
    let now = 0;
    const progress = new Progress({
      label: 'verify objects',
      sink: {
        write: (t) => {
          lines.push(t);
        },
        isTTY: false,
      },
      lineEveryMs: 5_000,
      now: () => now,
    });
    for (let i = 1; i <= 100; i++) {
      now = i * 100;
      progress.tick(1);
    }
    expect(lines).toEqual(['verify objects 50 10.0/s\n', 'verify objects 100 10.0/s\n']);
  });
});
