// Replaced by the anthropic stand-in server.
export {};
