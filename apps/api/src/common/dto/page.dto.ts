/** DRF's PageNumberPagination envelope; each list's page class adds its `results`. */
export class Page {
  /** Items in the whole list */
  count: number;
  /**
   * Absolute URL of the next page, null on the last
   * @example "https://scoopadive.com/api/logbooks/?page=2"
   */
  next: string | null;
  /** Absolute URL of the previous page, null on the first */
  previous: string | null;
}
