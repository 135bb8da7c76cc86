import type { ChatWrapper } from 'node-llama-cpp';

/**
 * Whether the model's chat wrapper can express function calls. node-llama-cpp gives every chat
 * template a function-call syntax except the raw (empty) one used when a model has no template.
 */
export function supportsFunctionCalling(wrapper: ChatWrapper): boolean {
  if (wrapper.wrapperName === 'Empty') return false;
  const prefix = wrapper.settings.functions.call.prefix;
  return typeof prefix === 'string' ? prefix.length > 0 : prefix.values.length > 0;
}
