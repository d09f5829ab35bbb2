import { ApiError, NetworkError } from './client.ts';

export type UploadPhase = 'uploading' | 'processing';

/**
 * Sends a file as the raw request body with XMLHttpRequest, whose upload events give the
 * progress that fetch() cannot. Resolves with the status and parsed body of any answer the
 * server gave (the caller decides what a 400 with a report means); rejects with NetworkError
 * when there was no answer.
 */
export function uploadFile(
  url: string,
  file: Blob,
  contentType: string,
  onProgress: (phase: UploadPhase, fraction: number) => void,
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('content-type', contentType);
    xhr.timeout = 120_000;
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress('uploading', e.loaded / e.total);
    };
    xhr.upload.onload = () => onProgress('processing', 0);
    xhr.onload = () => {
      let body: unknown = undefined;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      resolve({ status: xhr.status, body });
    };
    xhr.onerror = () => reject(new NetworkError('upload failed'));
    xhr.ontimeout = () => reject(new NetworkError('upload timed out'));
    xhr.send(file);
  });
}

/** The problem+json body of a refusal as the API client's error. */
export function problemToError(status: number, body: unknown): ApiError {
  const p = (body ?? {}) as { code?: string; detail?: string; title?: string; errors?: { field: string; message: string }[] };
  return new ApiError(status, p.code ?? 'error', p.detail ?? p.title ?? `HTTP ${status}`, p.errors ?? []);
}
