// Run in a fresh process inside a fixture app: the time from a cold start to the first provider
// ready to answer (config + discovery + import of the selected plugin + availability check).
// With `--eager`, every discovered plugin is imported first, as hosts that load all plugins do.
const started = performance.now();
const { loadConfig, ProviderFactory } = await import('@autoarr-llm/core');
const factory = new ProviderFactory({ config: await loadConfig() });
const discovered = performance.now();
if (process.argv.includes('--eager')) for (const name of factory.providerNames()) await factory.loadPlugin(name);
const provider = await factory.createProvider();
const ready = performance.now();
await provider.dispose();
await factory.dispose();
process.stdout.write(JSON.stringify({ discoveryMs: discovered - started, readyMs: ready - started, plugins: factory.providerNames().length }));
