import { api } from './api-client.ts';

/** Hand a blob to the browser as a download named `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}

/** Fetch a file the BFF serves (with the bearer token) and hand it to the browser as a download, under the name the BFF suggests. */
export async function downloadFromBff(path: string, fallbackName: string): Promise<void> {
  const { blob, filename } = await api.download(path);
  saveBlob(blob, filename ?? fallbackName);
}

/** The text of a file the user picked (FileReader: also in the test DOM). */
export function readTextFile(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('the file could not be read'));
    reader.readAsText(file);
  });
}
