/** One argument for `sh`, single-quoted: nothing in it is expanded or split. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
