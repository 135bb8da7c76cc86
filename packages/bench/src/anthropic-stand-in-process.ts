// A stand-in Anthropic server in its own process, so that benchmarks measure the client side only
// (a server in the benchmark's own process competes with it for the CPU and the event loop).
// Every request is answered with 20 text chunks; prints its URL on stdout.
import { startAnthropicStandIn } from '@autoarr-llm/testkit';

const chunks = Array.from({ length: 20 }, (_, i) => `tok${i} `);
const standIn = await startAnthropicStandIn();
const refill = () => standIn.arrange(...Array.from({ length: 5_000 }, () => ({ type: 'text' as const, chunks })));
refill();
let served = 0;
setInterval(() => {
  // Keep the script ahead of demand and the request log from growing without bound.
  served += standIn.requests.length;
  standIn.requests.length = 0;
  if (served > 4_000) {
    served = 0;
    refill();
  }
}, 50).unref();
process.stdout.write(`${standIn.url}\n`);
process.on('SIGTERM', () => void standIn.close().then(() => process.exit(0)));
