import { z } from 'zod';

/** Media types every provider is expected to accept for image parts. */
export const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

/** A plain text part of a message. */
export const TextPartSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
});
export type TextPart = z.infer<typeof TextPartSchema>;

/**
 * An image, either inline (base64, without a `data:` prefix) or by URL.
 * `mediaType` is required for base64 data and optional for URLs.
 */
export const ImagePartSchema = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.object({ type: z.literal('base64'), mediaType: z.string(), data: z.string().min(1) }),
    z.object({ type: z.literal('url'), url: z.url(), mediaType: z.string().optional() }),
  ]),
});
export type ImagePart = z.infer<typeof ImagePartSchema>;

/** A tool call the assistant made (appears in assistant messages of a conversation history). */
export const ToolCallPartSchema = z.object({
  type: z.literal('tool-call'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.unknown(),
});
export type ToolCallPart = z.infer<typeof ToolCallPartSchema>;

/** The result of running a tool, sent back in a `tool` message. */
export const ToolResultPartSchema = z.object({
  type: z.literal('tool-result'),
  toolCallId: z.string().min(1),
  /** The tool's output: text, or any JSON value (serialised by the provider). */
  content: z.unknown(),
  isError: z.boolean().optional(),
});
export type ToolResultPart = z.infer<typeof ToolResultPartSchema>;

export const ContentPartSchema = z.discriminatedUnion('type', [
  TextPartSchema,
  ImagePartSchema,
  ToolCallPartSchema,
  ToolResultPartSchema,
]);
export type ContentPart = z.infer<typeof ContentPartSchema>;

export const MessageRoleSchema = z.enum(['system', 'user', 'assistant', 'tool']);
export type MessageRole = z.infer<typeof MessageRoleSchema>;

/** The standard message format for all providers (the seed's `LLMMessage`). */
export const LLMMessageSchema = z.object({
  role: MessageRoleSchema,
  content: z.union([z.string(), z.array(ContentPartSchema)]),
});
export type LLMMessage = z.infer<typeof LLMMessageSchema>;

export const LLMMessagesSchema = z.array(LLMMessageSchema).min(1, 'at least one message is required');
