/**
 * The versions a generated plugin starts with. Core and testkit are peers of one release line
 * (a test keeps these ranges in step with the workspace's own versions); typescript and vitest are
 * the ones autoarr-llm itself is built and tested with.
 */
export const DEPENDENCY_VERSIONS = {
  core: '^0.1.0',
  testkit: '^0.1.0',
  zod: '^4.1.0',
  typescript: '5.9.3',
  vitest: '^4.1.9',
  typesNode: '^20.19.0',
  /** `npx changeset` needs it installed: the npm package called `changeset` is an unrelated tool. */
  changesetsCli: '^2.31.0',
} as const;
