import { callLogBench } from './call-log-bench.js';
import { discoveryStartupBench } from './discovery-startup-bench.js';
import { pipelineBench } from './pipeline-bench.js';
import { premiumDecodeBench } from './premium-decode-bench.js';
import { routingBench } from './routing-bench.js';

// `pnpm bench`: every benchmark prints figures and ratios measured in this one run.
const only = process.argv[2];
const benches: Record<string, () => string[] | Promise<string[]>> = {
  discovery: () => discoveryStartupBench(),
  pipeline: () => pipelineBench(),
  premium: () => premiumDecodeBench(),
  'call-log': () => callLogBench(),
  routing: () => routingBench(),
};
for (const [name, bench] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log((await bench()).join('\n'));
  console.log('');
}
