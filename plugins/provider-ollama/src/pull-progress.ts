/** One step of a model download, as Ollama reports it (enough for a progress bar). */
export interface PullProgress {
  /** `pulling manifest`, `pulling <digest>`, `verifying sha256 digest`, `writing manifest`, `success`. */
  status: string;
  digest?: string;
  /** Bytes of the current layer so far and in all (absent on steps without a download). */
  completed?: number;
  total?: number;
}
