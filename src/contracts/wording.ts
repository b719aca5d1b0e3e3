/** Count wording shared by the SPA and the BFF's own messages (one `plural` for both). */
const countFormat = new Intl.NumberFormat('en');

/** 20000 → "20,000". */
export const formatCount = (n: number) => countFormat.format(n);

/** "1 file" / "3 files". */
export const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;
