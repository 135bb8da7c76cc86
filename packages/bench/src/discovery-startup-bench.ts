import { execFileSync } from 'node:child_process';
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixtureApp } from './fixture-app.js';
import { median } from './stats.js';

const probe = fileURLToPath(new URL('./startup-probe.js', import.meta.url));

interface Sample {
  discoveryMs: number;
  readyMs: number;
  plugins: number;
}

function sample(app: string, eager: boolean): Sample {
  const out = execFileSync(process.execPath, [join(app, 'probe.mjs'), ...(eager ? ['--eager'] : [])], { cwd: app, encoding: 'utf8' });
  return JSON.parse(out) as Sample;
}

/**
 * Discovery + first-provider-ready time with 3 and with 50 plugins installed, each plugin costing
 * 20 ms to import. Runs are interleaved so machine noise hits every variant alike; medians are
 * reported with their ratios.
 */
export function discoveryStartupBench(runs = 9): string[] {
  const apps = { 3: fixtureApp(3, 20), 50: fixtureApp(50, 20) };
  for (const app of Object.values(apps)) copyFileSync(probe, join(app, 'probe.mjs'));
  const results: Record<string, Sample[]> = { '3': [], '50': [], '50-eager': [] };
  try {
    sample(apps[3], false); // warm the file cache
    for (let i = 0; i < runs; i++) {
      results['3']!.push(sample(apps[3], false));
      results['50']!.push(sample(apps[50], false));
      results['50-eager']!.push(sample(apps[50], true));
    }
  } finally {
    for (const app of Object.values(apps)) rmSync(app, { recursive: true, force: true });
  }
  const m = (k: string, f: keyof Sample) => median(results[k]!.map((s) => s[f]));
  const r3 = m('3', 'readyMs');
  const r50 = m('50', 'readyMs');
  const eager = m('50-eager', 'readyMs');
  return [
    `discovery + first provider ready (median of ${runs} cold processes, each plugin costs 20 ms to import):`,
    `  3 plugins:   discovery ${m('3', 'discoveryMs').toFixed(1)} ms, ready ${r3.toFixed(1)} ms`,
    `  50 plugins:  discovery ${m('50', 'discoveryMs').toFixed(1)} ms, ready ${r50.toFixed(1)} ms   (ratio 50/3: ${(r50 / r3).toFixed(2)}x)`,
    `  50 plugins imported eagerly (what lazy import avoids): ready ${eager.toFixed(1)} ms   (lazy/eager: ${(r50 / eager).toFixed(2)}x)`,
  ];
}
