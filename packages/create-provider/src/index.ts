export { createProviderPackage, TEMPLATES_DIR, UsageError, type CreateProviderPackageOptions, type CreatedPackage } from './create-provider-package.js';
export { providerNameProblem, providerNames, scopeProblem, OFFICIAL_PROVIDER_NAMES, PACKAGE_PREFIX, type ProviderNames } from './provider-name.js';
export { parseArgs, USAGE, type ParsedArgs } from './parse-args.js';
export { runCli, type CliIo } from './run-cli.js';
export { renderTemplate, type TemplateValues } from './render-template.js';
export { DEPENDENCY_VERSIONS } from './dependency-versions.js';
