// Replaced by the ollama stand-in server.
export {};
