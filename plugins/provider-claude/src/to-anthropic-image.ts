import { InvalidRequestError, type ImagePart } from '@autoarr-llm/core';
import type { ImageBlockParam } from '@anthropic-ai/sdk/resources/messages/messages';

/** Media types Claude accepts for images. */
export const CLAUDE_IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
type ClaudeImageMediaType = (typeof CLAUDE_IMAGE_MEDIA_TYPES)[number];

/** The API refuses larger images; checking first saves uploading megabytes only to get a 400. */
export const CLAUDE_MAX_IMAGE_BYTES = 5 * 1024 * 1024;

/** An image part as a Claude image block; unsupported or oversized images fail before any request. */
export function toAnthropicImage(part: ImagePart, field: string, provider: string): ImageBlockParam {
  const source = part.source;
  if (source.type === 'url') {
    if (source.mediaType !== undefined && !isSupported(source.mediaType)) throw unsupported(source.mediaType, field, provider);
    return { type: 'image', source: { type: 'url', url: source.url } };
  }
  if (!isSupported(source.mediaType)) throw unsupported(source.mediaType, field, provider);
  const data = source.data.replace(/\s+/g, '');
  const bytes = decodedLength(data);
  if (bytes > CLAUDE_MAX_IMAGE_BYTES) {
    throw new InvalidRequestError(
      `${provider}: the image in ${field} is ${(bytes / 1024 / 1024).toFixed(1)} MB; Claude accepts at most 5 MB per image`,
      { provider, field },
    );
  }
  return { type: 'image', source: { type: 'base64', media_type: source.mediaType, data } };
}

function isSupported(mediaType: string): mediaType is ClaudeImageMediaType {
  return (CLAUDE_IMAGE_MEDIA_TYPES as readonly string[]).includes(mediaType);
}

function unsupported(mediaType: string, field: string, provider: string): InvalidRequestError {
  return new InvalidRequestError(`${provider}: image media type "${mediaType}" in ${field} is not supported; use ${CLAUDE_IMAGE_MEDIA_TYPES.join(', ')}`, {
    provider,
    field,
  });
}

function decodedLength(base64: string): number {
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return Math.floor((base64.length * 3) / 4) - padding;
}
