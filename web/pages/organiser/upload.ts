import { css } from 'lit';
import { ApiError, NetworkError } from '../../api/client.ts';

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

/** The file-picking area both import pages use: a dashed drop zone with a visible button. */
export const dropZoneStyles = css`
  .drop {
    border: 2px dashed var(--sc-line);
    border-radius: 12px;
    padding: 20px;
    text-align: center;
    background: #fafbfc;
  }
  .drop.over {
    border-color: var(--sc-focus);
    background: #eef4ff;
  }
  .drop input[type='file'] {
    position: absolute;
    width: 1px;
    height: 1px;
    opacity: 0;
  }
  .drop label.btn {
    display: inline-flex;
    align-items: center;
    margin: 8px 0 0;
    color: #fff;
  }
  .drop label.btn:focus-within {
    outline: 3px solid var(--sc-focus);
    outline-offset: 2px;
  }
  .file {
    font-weight: 600;
    margin-top: 8px;
    overflow-wrap: anywhere;
  }
`;
