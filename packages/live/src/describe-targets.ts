import { type SettingDoc, settingDocs } from '@switchyard/core/adapter';
import { TARGETS, type TargetDefinition } from './targets/index.js';

const WIDTH = 110;

/** A variable as the target list names it: with the live tier's note, else when the descriptor requires it. */
function named(doc: SettingDoc, notes: Readonly<Record<string, string>> = {}): string {
  const note = notes[doc.variable] ?? (typeof doc.required === 'string' ? doc.required : undefined);
  return note ? `${doc.variable} (${note})` : doc.variable;
}

/**
 * What a target needs and what else it reads: its descriptor's settings (the ones `createProviders`
 * reads), then the live tier's own.
 */
export function variablesOf(target: TargetDefinition<string, unknown>): { needs: string[]; reads: string[] } {
  const refused = target.refuses?.variables ?? [];
  const docs = [...settingDocs(target.descriptor), ...settingDocs({ settings: target.live ?? {} })].filter(
    (doc) => !refused.includes(doc.variable),
  );
  return {
    needs: docs.filter((doc) => doc.required !== false).map((doc) => named(doc, target.notes)),
    reads: docs.filter((doc) => doc.required === false).map((doc) => named(doc, target.notes)),
  };
}

/** `label` and the comma-separated items, wrapped at WIDTH with the items aligned under the first. */
function wrapped(indent: string, label: string, items: string[]): string {
  const lines: string[] = [];
  let line = `${indent}${label}`;
  for (const [i, item] of items.entries()) {
    const piece = i < items.length - 1 ? `${item},` : item;
    if (line.length + 1 + piece.length > WIDTH && line.length > indent.length + label.length) {
      lines.push(line);
      line = `${indent}${' '.repeat(label.length)}`;
    }
    line += ` ${piece}`;
  }
  return [...lines, line].join('\n');
}

/** Every known target, with what it opens and needs: the answer to "what can I run?". */
export function describeTargets(): string {
  const width = Math.max(...TARGETS.map((target) => target.name.length));
  const indent = `  ${' '.repeat(width)}  `;
  return TARGETS.map((target: TargetDefinition<string, unknown>) => {
    const { descriptor, scope } = target;
    const opens = `${descriptor.module} (SWITCHYARD_${target.port.toUpperCase()}=${descriptor.name})${scope ? `, ${scope}` : ''}`;
    const { needs, reads } = variablesOf(target);
    const lines = [
      `  ${target.name.padEnd(width)}  ${target.port}: ${opens}`,
      wrapped(indent, 'needs', needs),
      wrapped(indent, 'reads', reads),
    ];
    if (target.refuses) lines.push(`${wrapped(indent, 'refuses', [...target.refuses.variables])} (${target.refuses.why})`);
    return lines.join('\n');
  }).join('\n');
}
