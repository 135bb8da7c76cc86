/** The prefix every third-party plugin package carries, so core's discovery finds it among an app's dependencies. */
export const PACKAGE_PREFIX = 'autoarr-llm-provider-';

// What core's definePlugin accepts as a provider name, without leading, trailing or doubled dashes.
const NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const SCOPE = /^@[a-z0-9][a-z0-9._~-]*$/;
const MAX_NAME_LENGTH = 50;

/** Official providers: a plugin of the same name is only used where the official one is not installed. */
export const OFFICIAL_PROVIDER_NAMES: readonly string[] = ['ollama', 'claude', 'custom'];

/** Why `name` cannot be a provider name, in words a user can act on; undefined when it can. */
export function providerNameProblem(name: string): string | undefined {
  if (name.startsWith(PACKAGE_PREFIX) || name.includes('/')) {
    const bare = name.slice(name.lastIndexOf('/') + 1).replace(PACKAGE_PREFIX, '');
    return `give the provider name, not the package name: \`create-provider ${bare}\` creates ${PACKAGE_PREFIX}${bare} (use --scope for a scoped package)`;
  }
  if (name.length === 0) return 'the provider name is empty';
  if (name.length > MAX_NAME_LENGTH) return `the provider name is longer than ${MAX_NAME_LENGTH} characters`;
  if (!NAME.test(name)) {
    return 'a provider name is lower-case letters, digits and single dashes, starting with a letter (e.g. "my-backend", "llamafile2")';
  }
  return undefined;
}

/** Why `scope` cannot be an npm scope; undefined when it can. */
export function scopeProblem(scope: string): string | undefined {
  return SCOPE.test(scope) ? undefined : 'a scope is "@" followed by lower-case letters, digits, ".", "_", "~" or "-" (e.g. "@acme")';
}

/** Every form of the name the templates need. */
export interface ProviderNames {
  /** `my-backend`: the provider name users select (`LLM_PROVIDER=my-backend`). */
  name: string;
  /** `autoarr-llm-provider-my-backend` or `@acme/autoarr-llm-provider-my-backend`. */
  packageName: string;
  /** `MyBackend`: for class and type names. */
  pascalName: string;
  /** `myBackend`: for function and variable names. */
  camelName: string;
  /** `MY_BACKEND`: the prefix of the plugin's environment variables. */
  envPrefix: string;
}

export function providerNames(name: string, scope?: string): ProviderNames {
  const words = name.split('-');
  const pascalName = words.map((w) => w.charAt(0).toUpperCase() + w.slice(1)).join('');
  return {
    name,
    packageName: `${scope ? `${scope}/` : ''}${PACKAGE_PREFIX}${name}`,
    pascalName,
    camelName: pascalName.charAt(0).toLowerCase() + pascalName.slice(1),
    envPrefix: name.toUpperCase().replace(/-/g, '_'),
  };
}
