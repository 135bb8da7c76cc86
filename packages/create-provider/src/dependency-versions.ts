/**
 * The versions a generated plugin starts with. Core is a peer over the rest of the 0.x line from
 * the minor the plugin is written against (a core minor never breaks the plugin contract, so the
 * plugin keeps loading without a release of its own; a breaking change is core 1.0). Testkit, a
 * dev dependency, follows the workspace's release line (a test keeps both in step with the
 * workspace's own versions); typescript and vitest are the ones autoarr-llm itself is built and
 * tested with.
 */
export const DEPENDENCY_VERSIONS = {
  core: '>=0.1.0 <1',
  testkit: '^0.1.0',
  zod: '^4.1.0',
  typescript: '5.9.3',
  vitest: '^4.1.9',
  typesNode: '^20.19.0',
  /** `npx changeset` needs it installed: the npm package called `changeset` is an unrelated tool. */
  changesetsCli: '^2.31.0',
} as const;
