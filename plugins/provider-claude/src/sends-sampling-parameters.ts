/** The API version from which the Messages API rejects temperature, top_p and top_k (even at defaults). */
export const SAMPLING_REMOVED_IN_API_VERSION = '2026-10-21';

/**
 * Whether requests may carry `temperature`. Unset means the SDK's own version, which is
 * 2026-10-21 for @anthropic-ai/sdk 1.x. ISO dates compare correctly as strings.
 */
export function sendsSamplingParameters(apiVersion: string | undefined): boolean {
  return apiVersion !== undefined && apiVersion < SAMPLING_REMOVED_IN_API_VERSION;
}
