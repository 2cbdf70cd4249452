/** Where stored files' bytes live: local disk or an S3 bucket. Keys are always ours, never a client's. */
export interface ObjectStore {
  put(key: string, bytes: Buffer, contentType: string): Promise<void>;
  read(key: string): Promise<Buffer>;
  /** Size in bytes, or undefined when there is no such file. */
  size(key: string): Promise<number | undefined>;
  delete(key: string): Promise<void>;
  /** Public URL of a key; `origin` is used by stores served by this API. */
  url(origin: string, key: string): string;
  /** A URL a client may PUT one file of this type to, until it expires. */
  presignPut(origin: string, key: string, contentType: string): Promise<string>;
}
