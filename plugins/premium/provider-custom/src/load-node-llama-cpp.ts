import type * as NodeLlamaCpp from 'node-llama-cpp';

export type NodeLlamaCppModule = typeof NodeLlamaCpp;

let loading: Promise<NodeLlamaCppModule> | undefined;

/**
 * node-llama-cpp, imported on first use: hosts that never select the custom provider (and code
 * that only imports the plugin entry) never load it or its native addon.
 */
export function loadNodeLlamaCpp(): Promise<NodeLlamaCppModule> {
  loading ??= import('node-llama-cpp').catch((error: unknown) => {
    loading = undefined;
    throw error;
  });
  return loading;
}
