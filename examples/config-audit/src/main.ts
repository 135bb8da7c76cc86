#!/usr/bin/env node
// Audits a configuration file with the provider the chain selects:
//   node dist/main.js <config.json> [sonarr|radarr|sabnzbd]
import 'reflect-metadata';
import { readFile } from 'node:fs/promises';
import { createLlmContainer, LLMError } from '@autoarr-llm/core';
import { AuditResponseError } from './audit-response-error.js';
import { ConfigurationManager, type AuditedApp } from './configuration-manager.js';

const [file, app = 'sonarr'] = process.argv.slice(2);
if (!file || !['sonarr', 'radarr', 'sabnzbd'].includes(app)) {
  process.stderr.write('usage: config-audit <config.json> [sonarr|radarr|sabnzbd]\n');
  process.exit(2);
}

let container;
try {
  const config = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
  container = await createLlmContainer();
  const manager = container.resolve(ConfigurationManager);
  process.stderr.write(`Using LLM provider: ${manager.providerName}\n`);
  const recommendations = await manager.auditConfiguration(config, app as AuditedApp);
  process.stdout.write(`${JSON.stringify(recommendations, null, 2)}\n`);
} catch (error) {
  const code = LLMError.isInstance(error) || error instanceof AuditResponseError ? `[${error.code}] ` : '';
  process.stderr.write(`${code}${error instanceof Error ? error.message : String(error)}\n`);
  // The model's own words are what one needs to see why the audit could not be read.
  if (error instanceof AuditResponseError) process.stderr.write(`The answer was:\n${error.raw}\n`);
  process.exitCode = LLMError.isInstance(error) && error.code === 'NO_PROVIDER_AVAILABLE' ? 4 : 1;
} finally {
  await container?.disposeLlm();
}
