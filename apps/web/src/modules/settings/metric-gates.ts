export interface ParsedGate {
  metric: string;
  op: 'GT' | 'GTE' | 'LT' | 'LTE';
  threshold: number;
}

const OPS: Record<string, ParsedGate['op']> = { '>': 'GT', '>=': 'GTE', '<': 'LT', '<=': 'LTE' };
export const OP_SYMBOLS: Record<ParsedGate['op'], string> = { GT: '>', GTE: '>=', LT: '<', LTE: '<=' };

const GATE_LINE = /^(\S+)\s*(>=|<=|>|<)\s*(\S+)$/;

/** Gates written one per line, as a reviewer would say them: `val_auc >= 0.9`. */
export function parseMetricGates(source: string): { gates: ParsedGate[] } | { error: string } {
  const gates: ParsedGate[] = [];
  for (const [index, raw] of source.split('\n').entries()) {
    const line = raw.trim();
    if (!line) continue;
    const match = GATE_LINE.exec(line);
    const threshold = match ? Number(match[3]) : Number.NaN;
    if (!match || !Number.isFinite(threshold)) {
      return { error: `Gate line ${index + 1} (“${line}”) is not of the form “metric >= number”.` };
    }
    gates.push({ metric: match[1], op: OPS[match[2]], threshold });
  }
  return { gates };
}

export function formatGate(gate: ParsedGate): string {
  return `${gate.metric} ${OP_SYMBOLS[gate.op]} ${gate.threshold}`;
}
