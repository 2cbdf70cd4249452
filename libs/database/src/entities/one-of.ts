/** A CHECK expression that keeps a column to the values the code declares (NULL passes, as in SQL). */
export function oneOf(column: string, values: readonly string[]): string {
  return `${column} IN (${values.map((v) => `'${v}'`).join(', ')})`;
}
