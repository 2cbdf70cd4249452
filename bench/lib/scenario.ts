import type { LoadPlan } from './load.js';

export interface BenchContext {
  quick: boolean;
  plan: LoadPlan;
  databaseUrl: string;
}

/** One performance target: what was asked, what this run reached, and whether that meets it. */
export interface TargetCheck {
  what: string;
  target: string;
  reached: string;
  met: boolean;
}

export interface ScenarioResult {
  name: string;
  title: string;
  /** Markdown table placing our figures next to those measured on the Django stack. */
  table: string;
  figures: unknown;
  targets: TargetCheck[];
  /** A Vega-Lite spec, drawn to bench/charts/<name>.svg. */
  chart?: object;
  notes?: string[];
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

export function markdownTable(head: string[], rows: Array<Array<string | number>>): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

export function barChart(title: string, rows: Array<Record<string, string | number>>, x: string, y: string, color?: string): object {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    width: 420,
    height: 220,
    data: { values: rows },
    mark: 'bar',
    encoding: {
      x: { field: x, type: 'nominal', sort: null, axis: { labelAngle: 0 } },
      y: { field: y, type: 'quantitative' },
      ...(color ? { color: { field: color, type: 'nominal' }, xOffset: { field: color } } : {}),
    },
  };
}
