import { readFile } from 'node:fs/promises';

/** Speech-to-text for videos that arrive without a transcript. */
export interface TranscriptProvider {
  transcribe(wavPath: string): Promise<string>;
}

/**
 * A speech-to-text service over HTTP: POSTs the 16 kHz mono WAV (Content-Type audio/wav, bearer
 * key) and reads `{ "text": "..." }` back. Configured with ASR_URL / ASR_API_KEY.
 */
export function httpTranscriptProvider(url: string, apiKey?: string): TranscriptProvider {
  return {
    async transcribe(wavPath) {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'audio/wav', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: await readFile(wavPath),
        signal: AbortSignal.timeout(120_000),
      });
      if (!res.ok) throw new Error(`speech-to-text service answered ${res.status}`);
      const body = (await res.json()) as { text?: unknown };
      if (typeof body.text !== 'string') throw new Error('speech-to-text service sent no text');
      return body.text;
    },
  };
}
