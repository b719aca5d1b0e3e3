import { api } from './api-client.ts';

/** Fetch a file the BFF serves (with the bearer token) and hand it to the browser as a download, under the name the BFF suggests. */
export async function downloadFromBff(path: string, fallbackName: string): Promise<void> {
  const { blob, filename } = await api.download(path);
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = filename ?? fallbackName;
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
